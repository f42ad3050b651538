"""Issue 18, class 8: a report's year read from its text, shown as inferred, and used to choose between reports.

Short reports written here (real place names, invented figures), none with a sidecar or a page header.
"""

from __future__ import annotations

import pytest

from index.text.period import infer_period
from tests.sample_reports import assistant_over

# Two reports of one county, neither dated: the year shows only in what they recount.
XIANYOU_OLD = """仙游县总工会金秋助学纪实

2021年，仙游县总工会筹集助学资金42万元，连续第十年开展金秋助学。

仙游县总工会今年资助困难职工子女78名，每名大学新生获得助学金3000元。
"""

XIANYOU_NEW = """仙游县总工会金秋助学再出发

回望2024年，仙游县总工会新建职工之家12个，帮扶困难职工300余户。

仙游县总工会今年资助困难职工子女31名，每名大学新生获得助学金5000元。
"""

DECLARED = """建瓯市总工会工作纪实

2016年，建瓯市总工会新建基层工会23家。
"""


@pytest.mark.parametrize(
    "text, year, rule",
    [
        ("2014年，慈溪市有基层工会3192家。", 2015, "review"),  # a yearbook entry is of the next year
        ("回望2024年，市总工会锚定目标，担当作为。", 2025, "review"),
        ("至2014年底，全市建会企业1020家。", 2015, "review"),
        ("冷水江市总工会2019年“金秋助学”仪式举行。", 2019, "named"),
        ("2018年以来，区总工会新建工会86家。", 2018, "named"),
        ("各级工会开展“喜迎十九大”职工篮球赛。", 2017, "congress"),
        ("区总工会召开学习贯彻中国工会十七大精神宣讲活动。", 2018, "congress"),
        ("市总工会组织干部学习中国工会十四大报告。", 2003, "congress"),
    ],
)
def test_the_year_a_text_gives(text, year, rule):
    got = infer_period(text)
    assert got is not None and (got.year, got.rule) == (year, rule)
    assert got.evidence in text


def test_the_latest_year_wins_and_plans_and_local_congresses_do_not_count():
    text = "2009年，该市总工会首次评选。截至2011年9月30日，全市建会企业3000家。到2035年将实现全覆盖。"
    assert infer_period(text).year == 2011
    assert infer_period("市工会第十六次代表大会召开，回顾市工会十六大以来五年间的发展。") is None
    assert infer_period("内蒙古自治区总工会于1949年5月成立。") is None
    assert infer_period("各级工会认真学习党的十四大精神。") is None  # 1992: before any report we read


@pytest.fixture(scope="module")
def xianyou(tmp_path_factory, embedder):
    reports = {
        "401_xianyou.txt": XIANYOU_OLD,
        "402_xianyou.txt": XIANYOU_NEW,
        "403_jianou.txt": DECLARED,
        "403_jianou.txt.meta.json": '{"date": "2018-03"}',
    }
    return assistant_over(tmp_path_factory.mktemp("years"), embedder, reports)


def test_each_report_gets_its_year_from_its_text_as_inferred(xianyou):
    rows = {r["source"]: r for r in xianyou.sources()}
    assert rows["401_xianyou.txt"]["year"] == 2022 and rows["401_xianyou.txt"]["year_inferred"]
    assert rows["402_xianyou.txt"]["year"] == 2025 and rows["402_xianyou.txt"]["year_inferred"]
    assert "回望2024年" in rows["402_xianyou.txt"]["year_evidence"]


def test_a_declared_date_stays_above_the_text(xianyou):
    row = next(r for r in xianyou.sources() if r["source"] == "403_jianou.txt")
    assert row["year"] == 2018 and not row["year_inferred"]


@pytest.mark.parametrize("year, expected", [(2022, "78名"), (2025, "31名")])
def test_a_question_naming_a_year_is_answered_from_that_years_report(xianyou, year, expected):
    got = xianyou.ask(f"{year}年仙游县总工会资助了多少名困难职工子女？")
    assert got.answer is not None and expected in got.answer, got
    top = got.citations[0]
    assert top.year == year and top.year_inferred and top.date_evidence


def test_a_year_neither_report_covers_is_declined(xianyou):
    assert xianyou.ask("2019年仙游县总工会资助了多少名困难职工子女？").answer is None


def test_the_inferred_year_is_shown_as_such(xianyou):
    from qa.format import format_answer
    from web.view import render_citation

    got = xianyou.ask("2025年仙游县总工会资助了多少名困难职工子女？")
    assert "（推断）" in render_citation(got.citations[0]) and "回望2024年" in render_citation(
        got.citations[0]
    )
    assert "2025（推断）" in format_answer(got)
    assert got.citations[0].to_dict()["date_from"] == "text"


def test_an_inferred_year_answers_for_what_its_text_recounts_not_for_a_year_looked_back_from(xianyou):
    """The 2022 report looks back on 2021 (2021年，…): its 42万元 is 2021's, never 2022's."""
    assert "42万元" in (xianyou.ask("2021年仙游县总工会筹集了多少助学资金？").answer or "")
    assert xianyou.ask("2022年仙游县总工会筹集了多少助学资金？").answer is None


def test_an_upload_preview_says_the_year_was_inferred_and_from_what():
    from index.reports import preview

    found = preview(XIANYOU_NEW.encode("utf-8"), "xianyou.txt")
    assert found.year == 2025 and found.year_evidence.startswith("回望2024年")
