"""The one number-and-unit grammar: Chinese numerals, bare 万 figures, units and their groups."""

from __future__ import annotations

import pytest

from index.text import figures
from index.text.normalise import tokenize


@pytest.mark.parametrize(
    ("numeral", "value"), [("十六", 16), ("二千一百零五", 2105), ("三", 3), ("两", 2), ("一百二十", 120)]
)
def test_chinese_numerals_have_their_values(numeral, value):
    assert figures.chinese_value(numeral) == value


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("95%以上", "%"),
        ("1.4亿元", "亿元"),
        ("138万人(次)", "人次"),
        ("超2800万", None),
        ("三成", "成"),
        ("十六次", "次"),
    ],
)
def test_units_are_read_from_the_figure(text, unit):
    assert figures.unit_of(text) == unit


def test_chinese_figures_need_a_unit_and_are_not_ordinals():
    found = [
        m.group()
        for m in figures.CHINESE_NUMBER.finditer(
            "连续十六次获评，第三届大赛有二千一百零五名职工参加，统一部署"
        )
    ]
    assert found == ["十六次", "二千一百零五名"]


def test_people_units_answer_people_questions_and_visits_do_not():
    assert figures.units_compatible("人", "名")
    assert not figures.units_compatible("人", "人次")
    assert figures.units_compatible("%", "成")


def test_a_unit_that_begins_a_word_is_not_cut_off_in_tokens():
    # 5部门 is five departments: the token grammar must not read 5部 + 门.
    assert "部门" in tokenize("5部门联合发文")
    assert "14690家" in tokenize("已建基层工会14690家")


def test_two_counters_any_thing_takes_are_told_apart_but_synonyms_are_not():
    assert figures.generic_counters("份", "个") and figures.generic_counters("项", "件")
    assert not figures.generic_counters("个", "个")
    assert not figures.generic_counters("名", "人")  # people: one group of synonyms, not generic counters
    assert figures.units_compatible("份", "个")  # still one group where the question's unit is only inferred


def test_units_of_measure_come_from_jionlps_list_and_a_magnitude_before_one_stays_whole():
    assert {"千米", "平方公里", "千瓦时", "立方米"} <= set(figures.UNITS)  # read from the installed package
    assert not {"个个", "年年"} & set(figures.UNITS)  # reduplications are not units
    text = "福州市的卫星累计飞行4,000万千米，新建绿道120千米，新增光伏装机300万千瓦，年发电3.6亿千瓦时"
    found = [m.group() for m in figures.NUMBER.finditer(text)]
    assert found == ["4,000万千米", "120千米", "300万千瓦", "3.6亿千瓦时"]
    assert figures.unit_of("4,000万千米") == "千米"
    assert figures.quantity("4,000万千米") == figures.Quantity(4e7, "千米", (), 4e7, 4e7)
    assert figures.quantity("3.6亿千瓦时").unit == "千瓦时"


@pytest.mark.parametrize(
    ("figure", "value", "unit"),
    [
        ("1.9万人", 19000, "人"),
        ("2.3万名", 23000, "名"),
        ("12万余名", 120000, "名"),
        ("1.4万元", 14000, "元"),
        ("3万人次", 30000, "人次"),
    ],
)
def test_a_magnitude_and_a_unit_read_as_before(figure, value, unit):
    # 万人 is no unit: a question counting 人 is still answered by 1.9万人.
    assert [m.group() for m in figures.NUMBER.finditer(f"共{figure}参加")] == [figure]
    found = figures.quantity(figure)
    assert (found.value, found.unit) == (value, unit)


def test_a_question_counting_in_a_unit_of_measure_asks_that_unit():
    from qa.question import ASK_COUNT

    assert ASK_COUNT.search("项目一期建设多少千米绿道").groups() == (None, "千米")
    assert ASK_COUNT.search("帮扶资金多少万元").groups() == ("万", "元")


def test_a_rate_keeps_its_second_unit_and_counts_in_its_first():
    text = "电价从0.8元/kwh降到0.39元/kwh，设计时速120公里/小时，均价8500元/平方米，占地10平方千米，完成1/3"
    found = [m.group() for m in figures.NUMBER.finditer(text)]
    assert found == ["0.8元/kwh", "0.39元/kwh", "120公里/小时", "8500元/平方米", "10平方千米", "1", "3"]
    assert [figures.unit_of(f) for f in found[:5]] == ["元", "元", "公里", "元", "平方千米"]
    assert figures.quantity("0.39元/kwh") == figures.quantity("0.39元")


def test_latin_units_of_measure_stay_with_their_figure_and_letters_that_are_no_unit_do_not():
    text = (
        "线径由2016年的80um降至40μm，建成47GW产能，年发电1.2亿kWh，占地3.5km²，含量0.5mg，"
        "新增5G基站3万个，3A级景区8处，4g网络，2022E营收，22Q1"
    )
    found = [m.group() for m in figures.NUMBER.finditer(text)]
    assert found == [
        "2016年", "80um", "40μm", "47GW", "1.2亿kWh", "3.5km²", "0.5mg", "5", "3万个", "3", "8处", "4", "2022", "22", "1"
    ]  # fmt: skip
    assert [figures.unit_of(f) for f in found[1:7]] == ["um", "μm", "GW", "kWh", "km²", "mg"]
    assert figures.quantity("1.2亿kWh") == figures.Quantity(1.2e8, "kWh", (), 1.2e8, 1.2e8)
    assert figures.quantity("5µm").unit == "μm"  # the micro sign read as the Greek letter
    assert figures.unit_of("5G") is None and figures.quantity("3A") is None
