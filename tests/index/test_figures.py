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
