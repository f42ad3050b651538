"""Issue 18, classes 4 and 5: places no division dataset names, and places that no longer exist.

Short reports written here (real place names, invented figures).
"""

from __future__ import annotations

import pytest

from tests.sample_reports import assistant_over

# 莱芜市 was a prefecture of Shandong until it was merged into 济南 (as 莱芜区 and 钢城区).
LAIWU = """莱芜市总工会

【概况】市总工会辖2个区（莱城区、钢城区）工会，3个区（高新区、雪野旅游区、经济开发区）工会委员会。全市有职工21万人。

【组织建设】2013年，莱芜市新建基层工会131个，发展会员9800人。

【钢城区】钢城区总工会建成职工驿站9个，培训工会干部260人次。

【职工帮扶】莱芜市总工会筹集帮扶资金560万元，救助困难职工2300户。

【劳动竞赛】全市开展劳动竞赛项目46项，参赛职工3.1万人次。

【职工书屋】莱芜市新建职工书屋27家，配送图书1.2万册。
"""

# A report of today's 济南 that names its 莱芜区 and 钢城区.
JINAN = """济南市总工会工作纪实

2023年，济南市总工会在莱芜区、钢城区举办职工运动会12场。

济南市总工会全年筹集送温暖资金1200万元，慰问困难职工5600户。

济南市总工会举办职工技能大赛18场，参赛职工1.6万人次。

全市新建职工书屋64家，其中全国示范职工书屋5家。
"""


def test_a_former_prefecture_is_kept_as_it_was_with_its_present_place():
    from index.places.matcher import find_places, place, present_name

    laiwu = [m.place for m in find_places("莱芜市总工会辖莱城区、钢城区工会")]
    assert laiwu[0].name == "莱芜市" and laiwu[0].former and laiwu[0].level == "prefecture"
    assert present_name(laiwu[0].code) == "济南市莱芜区"
    assert place(laiwu[1].code).name == "莱城区" and laiwu[1].former
    # Beside 济南, 莱芜 is today's district.
    beside = [m.place for m in find_places("济南市总工会在莱芜举办职工运动会")]
    assert beside[1].name == "莱芜区" and not beside[1].former


@pytest.fixture(scope="module")
def shandong(tmp_path_factory, embedder):
    reports = {"501_laiwu.txt": LAIWU, "502_jinan.txt": JINAN}
    return assistant_over(tmp_path_factory.mktemp("former"), embedder, reports)


def test_a_report_of_a_former_place_keeps_it(shandong):
    rows = {r["source"]: r for r in shandong.sources()}
    assert rows["501_laiwu.txt"]["city"] == "莱芜"
    assert rows["502_jinan.txt"]["city"] == "济南"
    passage = next(p for p in shandong.index.passages if p.source == "501_laiwu.txt")
    assert passage.place_chain == ("莱芜", "山东") and passage.place_now == "济南市莱芜区"


@pytest.mark.parametrize(
    "question", ["莱芜市总工会救助了多少户困难职工？", "莱芜总工会救助了多少户困难职工？"]
)
def test_a_question_naming_the_former_place_finds_it(shandong, question):
    got = shandong.ask(question)
    assert got.answer is not None and "2300户" in got.answer, got
    top = got.citations[0]
    assert top.source == "501_laiwu.txt" and top.place_now == "济南市莱芜区"


def test_the_present_place_is_shown_beside_the_former_one(shandong):
    from qa.format import format_answer
    from web.view import render_citation

    got = shandong.ask("莱芜市总工会救助了多少户困难职工？")
    assert "莱芜（今济南市莱芜区）" in render_citation(got.citations[0])
    assert "莱芜（今济南市莱芜区）" in format_answer(got)


def test_a_district_of_the_former_place_is_answered_only_where_the_text_names_it(shandong):
    """钢城区 was 莱芜市's until 2019 and is 济南's now: both reports are searched, only its own sentence answers."""
    got = shandong.ask("莱芜市钢城区总工会建成了多少个职工驿站？")
    assert got.answer is not None and "9个" in got.answer, got
    # The passage names 钢城区 (辖…钢城区), but its sentence 全市有职工21万人 is the city's figure.
    assert shandong.ask("莱芜市钢城区有多少名职工？").answer is None


def test_a_zone_named_only_in_a_list_beside_the_citys_figure_is_declined(shandong):
    """The passage lists 高新区 among the city's zones; its figure (全市有职工21万人) is the city's."""
    assert "21万人" in (shandong.ask("莱芜市有多少名职工？").answer or "")
    assert shandong.ask("莱芜高新区工会委员会有多少名职工？").answer is None


def test_todays_city_is_not_answered_from_the_former_ones_report(shandong):
    got = shandong.ask("济南市总工会慰问了多少户困难职工？")
    assert got.answer is not None and "5600户" in got.answer
    assert got.citations[0].source == "502_jinan.txt"


# An enterprise union's report that mentions a county once, in passing
# (past its opening, which says what a report is about: index.text.articles.OPENING_CHARS)
KAILUAN = """开滦集团工会开展夏季送清凉活动

入夏以来，开滦集团工会为一线矿工发放防暑降温物资价值86万元，送去西瓜2.4万斤、绿豆汤料1.8万份，集团各矿工会同步开展送清凉进班组、进井口、进车间活动，把清凉送到每一个高温岗位。

开滦集团工会走访慰问高温岗位职工4100人次，建成职工驿站19个，配备冰柜、药箱和休息座椅，方便一线矿工班前班后歇脚。

集团工会组织女工委员会开展“送清凉、送健康”进矿区活动，为女职工举办防暑知识讲座6场，发放健康手册3000册，组织医护人员为井下一线职工开展健康体检。

开滦集团工会在丰南区举办职工技能比武，参赛矿工320人。
"""

ZHANGZHOU = """漳州市总工会工作纪实

漳州市总工会全年新建基层工会210家，发展会员1.8万名。

漳州市总工会筹集送温暖资金520万元，慰问困难职工3300户。
"""


def test_an_enterprise_report_does_not_take_a_county_it_mentions_once(tmp_path):
    from index.text.articles import split_articles
    from index.text.layout import classify, split_lines

    (article,) = split_articles("kailuan.txt", classify(split_lines(KAILUAN)))
    assert article.place is None and article.city is None


def test_an_autonomous_prefecture_written_with_zhou_is_a_place():
    from index.places.matcher import find_places

    (found,) = find_places("恩施州总工会有多少名劳模？", question=True)
    assert found.place.name == "恩施土家族苗族自治州"


@pytest.fixture(scope="module")
def enterprise(tmp_path_factory, embedder):
    reports = {"601_kailuan.txt": KAILUAN, "602_zhangzhou.txt": ZHANGZHOU}
    return assistant_over(tmp_path_factory.mktemp("enterprise"), embedder, reports)


def test_the_company_named_is_answered_from_its_report(enterprise):
    got = enterprise.ask("开滦集团工会建成了多少个职工驿站？")
    assert got.answer is not None and "19个" in got.answer


@pytest.mark.parametrize(
    "question",
    [
        "丰南区总工会建成了多少个职工驿站？",  # the county the company's report mentions once
        "恩施州总工会慰问了多少户困难职工？",  # a prefecture no report is about
        "漳州台商投资区总工会新建了多少家基层工会？",  # a zone no report is about, inside a covered city
        "中国石化福建炼油化工有限公司工会慰问了多少户困难职工？",  # a company no report is about
    ],
)
def test_a_place_zone_or_company_no_report_is_about_is_declined(enterprise, question):
    got = enterprise.ask(question)
    assert got.answer is None, got


def test_a_zone_no_passage_names_is_said_to_be_absent(enterprise):
    got = enterprise.ask("漳州台商投资区总工会新建了多少家基层工会？")
    assert got.answer is None and any("没有段落提到“台商”" in note for note in got.notes), got.notes


def test_index_stats_shows_what_a_former_place_is_now(shandong):
    from index.summary import format_stats

    line = next(x for x in format_stats(shandong.index).splitlines() if "501_laiwu.txt" in x)
    assert "place 山东 › 莱芜 (inferred; now part of 济南市莱芜区)" in line
