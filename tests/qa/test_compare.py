"""Questions across reports: a table of one measure per report, superlatives and growth read from it, and lists.

The reports are written here: real places, invented figures (宁德 twice with declared dates, 三明, 莆田, 泉州).
"""

from __future__ import annotations

import json

import pytest

from eval.place_reports import write_reports
from index.text.figures import quantity
from qa.types import NOT_STATED

NINGDE_2016 = (
    "201_ningde.txt",
    "宁德工会的一年\n\n——福建省宁德市工会工作纪实\n\n"
    "全市基层工会组织4100家，工会会员52万名，工会组建率达91.5%，职工入会率达到83.2%。\n\n"
    "宁德市总工会先后被评为“全国模范职工之家”，被省总工会授予“福建省工会工作先进单位”，"
    "市总工会女职工委员会被评为“全国巾帼文明岗”等荣誉称号。\n",
    {"date": "2016-05"},
)
NINGDE_2022 = (
    "202_ningde.txt",
    "宁德工会五年回顾\n\n——福建省宁德市工会工作综述\n\n"
    "宁德市现有基层工会5200家，工会会员61万名，新增会员3万名，工会组建率达95.6%。\n\n"
    "宁德工会深化产业工人队伍建设改革，一是健全技能人才评价体系；二是搭建职工创新平台；三是完善激励保障机制。\n",
    {"date": "2022-11"},
)
SANMING = (
    "203_sanming.txt",
    "三明工会：闽西北的娘家人\n\n——福建省三明市工会工作纪实\n\n"
    "三明市基层工会3300家，工会会员43万名，工会组建率达95%以上。\n\n"
    "三明市总工会打造了职工服务品牌。\n\n亮点之一：\n\n职工驿站遍城乡\n\n三明市建成职工驿站120个。\n\n"
    "亮点之二：\n\n技能竞赛促成长\n\n三明市举办技能竞赛30场。\n\n亮点之三：\n\n法律援助暖人心\n\n"
    "三明市总工会为职工提供法律援助500件。\n",
    {"date": "2021-03"},
)
PUTIAN = (
    "204_putian.txt",
    "莆田工会工作纪实\n\n——福建省莆田市工会\n\n"
    "莆田市建成职工书屋88家，建立全国职工书屋示范点12家，为困难职工发放慰问金260万元。\n",
    {"date": "2021-06"},
)
QUANZHOU = (
    "205_quanzhou.txt",
    "泉州工会工作纪实\n\n——福建省泉州市工会\n\n泉州市工会会员43万名，工会组建率达95.6%。\n",
    {"date": "2021-09"},
)
FUZHOU = (
    "206_fuzhou.txt",
    "福州工会服务职工纪实\n\n——福建省福州市工会\n\n"
    "福州市总工会扎实开展春送岗位、夏送清凉、金秋助学、冬送温暖以及技能培训促就业等帮扶活动。\n\n"
    "福州市总工会推行“暖心行动”，实现集“排查、建档、帮扶、回访”为一体的困难职工帮扶。\n",
    {"date": "2020-04"},
)
REPORTS = [NINGDE_2016, NINGDE_2022, SANMING, PUTIAN, QUANZHOU, FUZHOU]


@pytest.fixture(scope="module")
def cross(tmp_path_factory, embedder):
    """An assistant over the five short reports."""
    from index.build import build_index
    from qa import Assistant

    root = tmp_path_factory.mktemp("compare")
    seeds = write_reports(root / "seeds", REPORTS)
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder)


def _rows(answer):
    return {(r.place, r.year): r for r in answer.table.rows}


def test_figures_read_as_numbers_with_qualifiers_kept():
    assert quantity("71.1万人").value == 711000 and quantity("71.1万人").unit == "人"
    rate = quantity("95%以上")
    assert (rate.value, rate.unit, rate.qualifiers, rate.high) == (95, "%", ("以上",), float("inf"))
    assert quantity("1.4亿元").value == 1.4e8 and quantity("1.4亿元").unit == "元"
    assert quantity("近60名").qualifiers == ("近",) and quantity("近60名").high == 60
    assert quantity("3万多名").value == 30000 and "多" in quantity("3万多名").qualifiers
    assert quantity("131万多人").high == 1320000 and quantity("3000多万元").high == 4e7  # under the next step
    assert quantity("十六次").value == 16
    assert quantity("3至5万") is None


def test_a_comparison_gets_a_row_per_report_sorted_and_places_that_do_not_say(cross):
    result = cross.ask("各地工会组建率对比")
    table = result.table
    assert table is not None and table.mode == "compare"
    rows = _rows(result)
    assert rows[("宁德", 2022)].answer == "95.6%" and rows[("宁德", 2016)].answer == "91.5%"
    assert rows[("三明", 2021)].answer == "95%以上" and rows[("三明", 2021)].qualifiers == ("以上",)
    assert rows[("泉州", 2021)].value == 95.6
    # 莆田 states no 组建率 (and 入会率 is another measure): a row saying so
    putian = [r for r in table.rows if r.place == "莆田"]
    assert len(putian) == 1 and putian[0].answer is None
    stated = [r.value for r in table.rows if r.value is not None]
    assert stated == sorted(stated, reverse=True)
    for row in table.rows:
        if row.answer is not None:
            cited = cross.index.by_id(row.passage_id)
            assert cited.text[slice(*row.span)] == row.answer and row.answer in row.sentence
    assert {c.passage_id for c in result.citations} >= {r.passage_id for r in table.rows if r.passage_id}


def test_same_measure_means_same_noun_and_kind(cross):
    rows = _rows(cross.ask("各市职工入会率比较"))
    assert rows[("宁德", 2016)].answer == "83.2%"
    assert all(r.answer is None for r in rows.values() if r.place != "宁德")  # 组建率 is not 入会率
    books = cross.ask("哪个城市的职工书屋最多")
    assert [r.answer for r in books.table.rows if r.answer] == ["88家"]  # not the 12家 示范点


def test_several_places_named_get_one_answer_each(cross):
    result = cross.ask("宁德和莆田的工会会员分别有多少")
    assert result.table.mode == "places"
    rows = _rows(result)
    assert (
        rows[("宁德", 2016)].answer == "52万名" and rows[("宁德", 2022)].answer == "61万名"
    )  # not 新增 3万名
    assert rows[("莆田", None)].answer is None
    assert "莆田：" + NOT_STATED in result.answer and "61万名" in result.answer


def test_a_superlative_is_read_from_the_table(cross):
    most = cross.ask("哪个城市的工会会员最多")
    assert most.table.best == ("宁德",) and most.table.verdict == "best"
    assert most.answer.startswith("宁德") and "61万名" in most.answer
    fewest = cross.ask("哪个城市的工会会员最少")
    assert fewest.table.verdict == "tie" and set(fewest.table.best) == {"三明", "泉州"}  # 43万名 each


def test_a_qualified_figure_against_an_exact_one_is_said_to_be_incomparable(cross):
    result = cross.ask("哪个城市的工会组建率最高")
    assert result.table.verdict == "incomparable"
    assert set(result.table.best) >= {"三明", "宁德"} and result.answer.startswith("无法比较")


def test_growth_is_computed_from_two_cited_figures(cross):
    result = cross.ask("宁德工会会员增长了多少")
    assert result.table.mode == "growth"
    assert [r.year for r in result.table.rows] == [2016, 2022]
    assert "52万名" in result.answer and "61万名" in result.answer and "增长9万名" in result.answer
    rate = cross.ask("宁德工会组建率提高了多少")
    assert "4.1个百分点" in rate.answer


def test_a_single_figure_question_keeps_its_single_answer(cross):
    result = cross.ask("宁德工会组建率是多少")
    assert result.table is None and result.answer in ("95.6%", "91.5%")


def test_a_list_gets_every_item_of_a_heading_run(cross):
    result = cross.ask("三明工会有哪些亮点")
    assert [i.text for i in result.items] == ["职工驿站遍城乡", "技能竞赛促成长", "法律援助暖人心"]
    assert all(i.source == "203_sanming.txt" for i in result.items)


def test_a_list_gets_every_quoted_name_and_every_ordinal_item(cross):
    honours = cross.ask("宁德市总工会获得过哪些荣誉")
    assert [i.text for i in honours.items] == ["全国模范职工之家", "福建省工会工作先进单位", "全国巾帼文明岗"]
    steps = cross.ask("宁德工会深化产业工人队伍建设改革有哪些举措")
    assert [i.text for i in steps.items] == ["健全技能人才评价体系", "搭建职工创新平台", "完善激励保障机制"]


def test_a_list_closed_by_deng_and_a_quoted_list_beside_the_answer(cross):
    activities = cross.ask("福州市总工会开展了哪些帮扶活动")
    assert [i.text for i in activities.items] == [
        "春送岗位",
        "夏送清凉",
        "金秋助学",
        "冬送温暖",
        "技能培训促就业",
    ]
    steps = cross.ask("福州“暖心行动”集哪些环节为一体")
    assert [i.text for i in steps.items] == ["排查", "建档", "帮扶", "回访"]


def test_the_table_and_items_are_in_the_json(cross):
    data = json.loads(json.dumps(cross.ask("各地工会组建率对比").to_dict(), ensure_ascii=False))
    row = data["table"]["rows"][0]
    assert set(row) >= {"place", "year", "answer", "value", "unit", "source", "passage_id", "sentence"}
    assert data["table"]["measure"] == "工会组建率" and data["items"] == []
    assert any(r["answer"] == NOT_STATED for r in data["table"]["rows"])
    listed = cross.ask("三明工会有哪些亮点").to_dict()
    assert listed["table"] is None and set(listed["items"][0]) == {"text", "source", "passage_id"}


def test_the_five_questions_of_issue_19_on_the_seeds(assistant):
    rates = {(r.place, r.answer) for r in assistant.ask("各地工会组建率对比").table.rows}
    assert rates == {("南平", "95%以上"), ("衢州", "95%以上"), ("漳州", "90.7%"), ("龙岩", None)}
    members = assistant.ask("漳州和龙岩的工会会员分别有多少")
    assert {(r.place, r.answer) for r in members.table.rows} == {
        ("漳州", "71.1万人"),
        ("漳州", "72.7万人"),
        ("龙岩", None),
    }
    most = assistant.ask("哪个城市的工会会员最多")
    assert most.table.best == ("漳州",) and most.answer.startswith("漳州")
    honours = assistant.ask("南平市总工会获得过哪些荣誉")
    assert [i.text for i in honours.items] == [
        "福建省推动厂务公开民主管理工作先进单位",
        "全国工会市级工会财务工作先进单位",
        "全国工会经审工作先进集体",
    ]
    brands = assistant.ask("衢州工会有哪些创新品牌")
    assert len(brands.items) == 7 and brands.items[0].text == "志愿服务队投身“五水共治”"
    assert brands.items[-1].text == "“工会主席大讲堂”致力工会自身建设"
