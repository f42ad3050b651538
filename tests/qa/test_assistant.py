"""The assistant on the real index and model: answers, cities, follow-ups, spans, bad input, JSON."""

from __future__ import annotations

import json

import pytest

from index.text.normalise import compact

NANPING = "001_7f7e28910d8affd7.txt"


def test_example_question_answers_nanping_rate(assistant):
    result = assistant.ask("南平工会组建率是多少", k=5)
    assert result.answer == "95%以上"
    assert result.citations[0].source == NANPING
    assert "90.7%" not in (result.answer or "")
    assert "95%以上" in result.sentence
    assert 1 <= len(result.citations) <= 5


@pytest.mark.parametrize(
    ("question", "city", "source_prefix"),
    [
        ("南平建立了多少户困难职工档案", "南平", "001"),
        ("衢州工会会员总数是多少", "衢州", "004"),
        ("龙岩2018年金秋助学资助了多少名困难职工子女", "龙岩", "002"),
        ("漳州全市签订集体合同多少份", "漳州", None),
        ("闽西工会的连心帮扶行动吸引了多少名干部职工参与", "龙岩", "000"),
    ],
)
def test_a_question_naming_a_city_cites_that_city(assistant, question, city, source_prefix):
    result = assistant.ask(question)
    assert result.citations, question
    assert all(c.city == city for c in result.citations)
    if source_prefix:
        assert result.citations[0].source.startswith(source_prefix)


@pytest.mark.parametrize("question", ["厦门工会组建率是多少", "杭州市总工会主席是谁"])
def test_a_city_no_report_covers_gets_no_answer(assistant, question):
    result = assistant.ask(question)
    assert result.answer is None and result.citations == ()
    assert any(question[:2] in note for note in result.notes)


def test_follow_up_swaps_the_city(assistant):
    chat = assistant.chat()
    first = chat.ask("南平工会组建率是多少")
    assert first.answer == "95%以上"
    second = chat.ask("那衢州呢？")
    assert second.citations[0].city == "衢州"
    assert second.answer and "95%以上" in second.answer  # 衢州: 工会组建率和职工入会率均达到95%以上
    third = chat.ask("漳州呢")
    assert third.citations[0].city == "漳州" and third.answer and "90.7%" in third.answer
    chat.reset()
    assert chat.history == []


def test_a_new_full_question_starts_a_new_topic(assistant):
    chat = assistant.chat()
    chat.ask("南平工会组建率是多少")
    result = chat.ask("衢州市总工会主席是谁")
    assert result.answer == "俞顺虎"


def test_span_points_at_the_answer_inside_the_cited_passage(assistant):
    for question in ("南平工会组建率是多少", "龙岩市总工会主席是谁", "漳州工会助学日是哪一天"):
        result = assistant.ask(question)
        assert result.answer, question
        top = result.citations[0]
        a, b = top.span
        assert top.text[a:b] == result.answer


def test_same_city_reports_that_disagree_give_each_value_with_its_report(assistant):
    result = assistant.ask("漳州工会会员有多少万人")
    assert len({v.source for v in result.variants}) >= 2
    assert len({v.answer for v in result.variants}) >= 2
    # Which is the latest needs dated reports: tests/qa/test_place_questions.py declares the dates and checks it.


@pytest.mark.parametrize(
    "fact", ["为6.8万人提供就业服务", "发放慰问金62.8万元", "参加各类劳动竞赛,有135家单位荣获"]
)
def test_facts_broken_by_the_layout_come_back_as_one_passage(assistant, fact):
    result = assistant.ask(f"龙岩和衢州：{fact}")
    assert any(compact(fact) in compact(c.text) for c in result.citations), fact


def test_answers_are_short_spans_not_passages(assistant):
    for question in ("龙岩2018年为多少万人提供就业服务", "衢州有多少家单位荣获市级以上工人先锋号称号"):
        result = assistant.ask(question)
        assert result.answer and len(result.answer) <= 20
        assert result.answer != result.citations[0].text
    assert assistant.ask("龙岩2018年为多少万人提供就业服务").answer.startswith("6.8万")
    assert assistant.ask("衢州有多少家单位荣获市级以上工人先锋号称号").answer == "135家"


@pytest.mark.parametrize(
    ("bad", "k", "message"),
    [
        ("", 5, "empty"),
        ("   \n\t", 5, "empty"),
        (None, 5, "must be a string"),
        (123, 5, "must be a string"),
        ("南平工会组建率是多少", 0, "k=0"),
        ("南平工会组建率是多少", 100000, "k=100000"),
        ("南平工会组建率是多少", "3", "k='3'"),
    ],
)
def test_bad_input_is_a_clear_value_error(assistant, bad, k, message):
    with pytest.raises(ValueError, match=message):
        assistant.ask(bad, k=k)


def test_unknown_city_filter_names_the_choices(assistant):
    with pytest.raises(ValueError, match="南平"):
        assistant.ask("工会组建率是多少", city="厦门")


def test_long_input_is_cut_with_a_note(assistant):
    result = assistant.ask("南平工会组建率是多少" + "啊" * 800)
    assert any("500" in note for note in result.notes)


@pytest.mark.parametrize(
    "odd",
    [
        "What is the union membership rate?",
        "😀😀😀",
        "\x00\x07南平\x1b工会",
        "<script>alert(1)</script>",
        "？？？",
        "1234",
    ],
)
def test_odd_input_never_crashes(assistant, odd):
    result = assistant.ask(odd)
    assert result.question == odd


def test_traditional_characters_and_full_width_digits_find_simplified_passages(assistant):
    result = assistant.ask("南平工會組建率是多少")
    assert result.answer == "95%以上"
    result = assistant.ask("南平已建基層工會１４６９０家嗎")
    assert result.citations[0].source == NANPING
    assert "14690" in result.citations[0].text


def test_to_dict_round_trips_through_json(assistant):
    result = assistant.ask("南平工会组建率是多少")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["answer"] == "95%以上"
    assert data["citations"][0]["source"] == NANPING
    assert data["citations"][0]["span"] == list(result.citations[0].span)
    assert set(data["citations"][0]) >= {
        "rank",
        "passage_id",
        "source",
        "title",
        "city",
        "year",
        "paragraph",
        "text",
        "score",
        "span",
        "matched",
        "legs",
        "also_in",
    }
