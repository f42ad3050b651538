"""Issue 18, classes 3 and 7: a name, place, body or definition of the kind the question asks for.

A short report written here (real places, invented people and figures); the features are read from the
candidates the chooser weighs for each question, as ask() builds them.
"""

from __future__ import annotations

import pytest

from tests.qa.test_trust_classes import one_report

NINGBO = """宁波工会工作纪实

2023年“宁波工匠”颁奖典礼在天一广场举行，主题为“匠心筑梦 建功甬城”。

余姚市总工会把送温暖活动作为宣传贯彻落实党的二十大精神的重要举措。

象山县总工会深入开展“三进三送”海岛振兴活动，组建渔嫂政策宣讲团，走进渔村20余次。

宁海县总工会请来省城医院的专家，到工业园区开展“健康进园区”活动。

12月5日，余姚市总工会召开困难职工慰问金发放会，余姚市公交集团一名职工家属在会上发了言。
"""


@pytest.fixture(scope="module")
def ningbo(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "301_ningbo.txt", NINGBO)


def _candidates(assistant, question: str) -> dict[str, dict[str, float]]:
    """Each candidate text the chooser weighs for the question, with the features of its spans (one text may be
    found as several kinds of span: a name and a clause's tail): the largest value of each."""
    from qa.extract import candidates
    from qa.question import parse

    q = parse(question, prefer=assistant.index.place_codes())
    out: dict[str, dict[str, float]] = {}
    for c in candidates(q, assistant.retrieve(q, 10), assistant.weight):
        merged = out.setdefault(c.text, {})
        for name, value in c.features.items():
            merged[name] = max(merged.get(name, value), value)
    return out


def test_a_slogan_does_not_answer_where(ningbo):
    """在哪里举办: the quoted theme of the ceremony is not a place; the place after 在 is."""
    got = _candidates(ningbo, "2023年“宁波工匠”颁奖典礼在哪里举办？")
    assert got["“匠心筑梦 建功甬城”"].get("quote_unasked") == 1.0
    assert "quote_unasked" not in got["天一广场"]


def test_a_quote_that_names_the_asked_thing_fits_its_head(ningbo):
    """举办的活动叫什么: “健康进园区”活动 is the activity's name (head_fit), asked by 叫什么 (quote_for_name)."""
    got = _candidates(ningbo, "宁海县总工会请医疗专家到园区举办的活动叫什么？")
    quote = got["“健康进园区”"]
    assert quote.get("head_fit") == 1.0 and quote.get("quote_for_name") == 1.0
    assert "head_misfit" not in quote and "quote_unasked" not in quote


def test_a_quote_beside_the_asked_head_is_not_the_answer(ningbo):
    """什么宣讲团: the activity's quoted name beside it is not the team; 渔嫂政策宣讲团 is a candidate unmarked."""
    got = _candidates(ningbo, "象山县总工会为海岛振兴组建了什么宣讲团？")
    assert got["“三进三送”"].get("quote_unasked") == 1.0
    team = got["渔嫂政策宣讲团"]
    assert "quote_unasked" not in team and "head_cut" not in team


def test_the_owner_before_de_stays_with_the_name(ningbo):
    """什么精神: 党的二十大精神 as the text writes it, not 二十大精神."""
    got = _candidates(ningbo, "余姚市总工会把送温暖活动作为落实什么精神的重要举措？")
    assert "党的二十大精神" in got
    assert "二十大精神" not in got


def test_the_union_of_the_report_is_not_the_unit_a_person_comes_from(ningbo):
    """来自哪个单位: the union hosting the ceremony is not where the speaker works."""
    got = _candidates(ningbo, "在余姚市困难职工慰问金发放会上发言的职工家属来自哪个单位？")
    unions = [f for text, f in got.items() if text.endswith("余姚市总工会")]
    assert unions and all(f.get("union_for_unit") == 1.0 for f in unions)
    assert "union_for_unit" not in got["余姚市公交集团"]


def test_a_name_cut_before_the_asked_head_is_a_cut():
    """什么平台: a span the text continues with 平台 stops before its head; the span ending on it does not."""
    from qa import spans as sp
    from qa.features import entity_fit_features
    from qa.question import parse

    q = parse("宁波市总工会通过什么平台发放消费券？")
    sentence = "宁波市总工会通过甬工惠智慧工会平台向会员发放消费券5万份。"
    start = sentence.index("甬工惠")
    cut = sp.Span(start, start + 7, sentence[start : start + 7], "org")
    whole = sp.Span(start, start + 9, sentence[start : start + 9], "headed")
    assert entity_fit_features(q, sentence, cut).get("head_cut") == 1.0
    assert "head_cut" not in entity_fit_features(q, sentence, whole)


def test_the_owner_stays_with_the_headed_name():
    """党的 stays before the 精神 it owns; a two-character word before 的 describes, it does not own."""
    from qa import spans as sp

    assert [s.text for s in sp.headed("全面落实职工的文化精神。", "精神")] == ["文化精神"]
    assert [s.text for s in sp.headed("全面落实党的二十大精神。", "精神")] == ["党的二十大精神"]
