"""Candidate spans from Baidu LAC: names without titles, organisations it joins cut apart, titles as labels."""

from __future__ import annotations

from qa import spans
from qa.question import parse


def test_a_name_without_a_title_is_a_person():
    assert [s.text for s in spans.people("职工陶春荣的合理化建议被评为十佳金点子")] == ["陶春荣"]


def test_two_organisations_joined_by_lianhe_are_two():
    found = [s.text for s in spans.organisations("宁德市总工会联合市卫计委举办职工健康讲座")]
    assert "宁德市总工会" in found and "市卫计委" in found


def test_a_name_carries_its_whole_title():
    (person,) = spans.people("市总工会常务副主席徐雄强出席并讲话")
    assert person.text == "徐雄强" and person.label == "常务副主席"


def test_the_counted_noun_is_read_by_its_head_word():
    assert parse("全市有多少工会会员？").unit == "名"
    assert parse("全市有多少个基层工会？").unit == "家"
    assert parse("新增了多少个就业岗位？").unit == "个"


def test_a_what_question_names_the_noun_it_asks_for():
    assert parse("成立了什么宣讲团？").asked_noun == "宣讲团"
    assert parse("和哪所学校合办专科班？").asked_noun == "学校"
