"""Questions naming places: answered only from the place's own articles, never with another place's figure."""

from __future__ import annotations

import json

import pytest

from eval.place_reports import COUNTY, DECLARED, DISTRICT, NEIGHBOUR, write_reports

NANPING, LONGYAN, QUZHOU = "001_7f7e28910d8affd7.txt", "002_564e9fe90876980b.txt", "004_47e5a264d3fdfa2a.txt"

# Two reports of one city with declared dates, one naming a county inside it (福安): for variants and 福安.
NINGDE_OLD = (
    "105_ningde_a.txt",
    "宁德工会的一年\n\n——福建省宁德市工会工作纪实\n\n宁德市总工会现有工会会员52万名，基层工会4100家。\n\n"
    "宁德市总工会为困难职工发放慰问金300万元，惠及职工八千名。\n",
    {"date": "2016-05"},
)
NINGDE_NEW = (
    "106_ningde_b.txt",
    "宁德工会五年回顾\n\n——福建省宁德市工会工作综述\n\n宁德市总工会现有工会会员61万名，基层工会5200家。\n\n"
    "福安市总工会建成职工书屋9家，宁德市总工会为其配送图书一万册。\n",
    {"date": "2022-11-20"},
)


@pytest.mark.parametrize(
    "question",
    [
        "鹰潭市总工会有多少名工会会员？",
        "郏县建了多少家职工书屋？",
        "慈溪市总工会有多少会员？",
        "福安市工会组建率是多少？",
        "宁波工会会员有多少？",
        "河南平顶山郏县总工会去年新建了多少家基层工会组织？",
    ],
)
def test_a_place_no_report_is_about_gets_no_answer_and_the_covered_places(assistant, question):
    result = assistant.ask(question)
    assert result.answer is None and not result.citations
    note = " ".join(result.notes)
    assert "报告中没有覆盖" in note and all(c in note for c in ("南平", "龙岩", "漳州", "衢州"))


@pytest.mark.parametrize(
    "question, source",
    [
        ("闽北工会组建率是多少？", NANPING),
        ("闽西困难职工建档立卡多少户？", LONGYAN),
        ("衢江区开展了什么活动提升工会主席素质？", QUZHOU),
    ],
)
def test_nicknames_and_a_district_still_find_their_report(assistant, question, source):
    # Finding the report is the place matcher's job; whether the span is sure enough to state is the scorer's
    # (issue 10), which declines these two today (probability just under its fitted threshold).
    result = assistant.ask(question)
    assert result.citations and result.citations[0].source == source
    assert not any("没有覆盖" in note for note in result.notes)


def test_a_follow_up_swaps_the_whole_place(assistant):
    chat = assistant.chat()
    chat.ask("河南平顶山郏县总工会去年新建了多少家基层工会组织？")
    result = chat.ask("那南平呢？")
    assert chat.history[-1][1].startswith("南平") and "郏县" not in chat.history[-1][1]
    # The Nanping report gives its total of grassroots unions (14690家), not how many were new last year: the
    # world-fitted scorer (issue 18) may decline it; when it answers, it is that figure, from Nanping's report.
    assert result.answer in (None, "14690家")
    assert result.citations and result.citations[0].city == "南平"


@pytest.fixture(scope="module")
def places_assistant(tmp_path_factory, embedder):
    """An assistant over the place reports (a county, a district, a declared one, a neighbour) and Ningde's two."""
    from index.build import build_index
    from qa import Assistant

    root = tmp_path_factory.mktemp("places")
    seeds = write_reports(root / "seeds", [COUNTY, DISTRICT, DECLARED, NEIGHBOUR, NINGDE_OLD, NINGDE_NEW])
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder), root


def test_a_question_naming_a_county_finds_its_report_and_another_county_gets_none(places_assistant):
    assistant, _ = places_assistant
    found = assistant.ask("郏县建了多少家职工书屋？")
    assert found.answer == "22家" and found.citations[0].source == COUNTY[0] and found.city == "郏县"
    other = assistant.ask("宝丰县建了多少家职工书屋？")  # another county of Pingdingshan
    assert other.answer is None and "宝丰" in " ".join(other.notes)


def test_a_county_figure_is_never_its_city_answer(places_assistant):
    assistant, _ = places_assistant
    result = assistant.ask("平顶山市建了多少家职工书屋？")
    assert result.answer is None
    cixi = assistant.ask("宁波市建成了多少个爱心驿站？")
    assert cixi.answer is None
    assert all(c.city == "慈溪" for c in cixi.citations)  # cited under its own place, if at all


def test_a_place_inside_a_covered_city_is_answered_only_from_a_passage_naming_it(places_assistant):
    assistant, _ = places_assistant
    result = assistant.ask("福安建了多少家职工书屋？")
    assert result.answer == "9家" and "福安" in result.sentence
    assert assistant.ask("柘荣县建了多少家职工书屋？").answer is None  # another county of Ningde


def test_a_district_a_declared_report_and_a_neighbour_province(places_assistant):
    assistant, _ = places_assistant
    assert assistant.ask("衢江区举办了多少期工会主席大讲堂？").answer == "18期"
    cixi = assistant.ask("慈溪建成了多少个爱心驿站？")
    assert cixi.answer == "128个" and cixi.citations[0].city == "慈溪"
    assert cixi.citations[0].title == DECLARED[2]["title"]
    ganzhou = assistant.ask("赣州市总工会举办了多少场技能竞赛？")  # only named in Sanming's report
    assert ganzhou.answer is None and "赣州" in " ".join(ganzhou.notes)
    assert assistant.ask("三明市总工会举办了多少场职工技能竞赛？").answer == "56场"


def test_declared_dates_order_the_values_of_one_city(places_assistant):
    assistant, _ = places_assistant
    result = assistant.ask("宁德工会会员有多少万名？")
    assert {(v.answer, v.year) for v in result.variants} == {("52万名", 2016), ("61万名", 2022)}
    latest = assistant.ask("宁德目前工会会员有多少万名？")
    assert latest.answer == "61万名" and latest.citations[0].year == 2022


def test_stats_lists_every_report_with_place_year_and_whether_declared(places_assistant, capsys):
    from index.__main__ import main

    _, root = places_assistant
    assert main(["stats", "--index-dir", str(root / "idx")]) == 0
    lines = {
        line.split(":")[0].strip(): line for line in capsys.readouterr().out.splitlines() if ".txt" in line
    }
    assert "place 河南 › 平顶山 › 郏县 (inferred)" in lines[COUNTY[0]]
    assert "year 2020 (inferred from the title)" in lines[COUNTY[0]]
    assert "place 浙江 › 宁波 › 慈溪 (declared)" in lines[DECLARED[0]]
    assert "year 2021 (declared)" in lines[DECLARED[0]] and "title declared" in lines[DECLARED[0]]
    assert "year ? (unknown)" in lines[NEIGHBOUR[0]]


def test_answer_json_keeps_its_keys_and_adds_the_place_chain(places_assistant):
    assistant, _ = places_assistant
    data = assistant.ask("郏县建了多少家职工书屋？").to_dict()
    top = data["citations"][0]
    assert {"city", "year", "title", "source"} <= set(top) and top["city"] == "郏县"
    assert top["place_chain"] == ["郏县", "平顶山", "河南"]
    json.dumps(data, ensure_ascii=False)


def test_a_question_naming_a_covered_and_an_uncovered_place_says_which_is_missing(assistant):
    result = assistant.ask("南平和鹰潭的工会组建率是多少？")
    assert any("鹰潭" in note for note in result.notes)
    assert all(c.city == "南平" for c in result.citations)


def test_a_persons_name_ending_in_a_countys_short_form_is_not_that_county(tmp_path, embedder):
    # 宝丰 is a county of 平顶山; 张宝丰 in a 郏县 report is a person, and a question about him is 郏县's to answer.
    from index.build import build_index
    from qa import Assistant
    from qa.question import parse

    assert parse("张宝丰获得了什么奖章？").places == ()
    assert parse("宝丰有多少职工书屋？").cities == ("宝丰",)
    assert parse("宝丰县张某获得了什么奖章？").cities == ("宝丰",)
    report = (
        "郏县总工会2021年工作报告\n\n郏县总工会现有工会会员4.6万名，建成职工书屋22家。\n\n"
        "县建筑公司职工张宝丰获得河南省五一劳动奖章，县总工会为其发放奖励金2万元。\n"
    )
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "jiaxian.txt").write_text(report, encoding="utf-8")
    build_index(seeds, tmp_path / "idx", embedder=embedder, quiet=True)
    found = Assistant.load(tmp_path / "idx", embedder=embedder).ask("张宝丰获得了什么奖章？", k=2)
    assert found.citations and found.citations[0].source == "jiaxian.txt"
    assert "宝丰" not in " ".join(found.notes)  # not declined as a county no report is about
