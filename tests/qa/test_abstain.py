"""The decision to answer or decline (issue 18): on a short report written here (real places, invented figures).

A question about nothing the reports say is declined whatever the scorer's confidence; a declined question
still shows the closest passages, without a figure, with a line saying why.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.qa.test_trust_classes import one_report

SHAOGUAN = """韶关工会工作回顾

——广东省韶关市总工会2023年工作回顾

2023年，韶关市总工会新建基层工会组织86家，发展会员4200人。

全市建成职工书屋58家，户外劳动者服务站132个。

春节期间全市共发放困难职工慰问金86万元，走访慰问困难职工1200户。

韶关市总工会为每名困难职工子女发放助学金3000元，共资助学生215名。

市总工会主席陈志强出席全市劳模座谈会并讲话。
"""


@pytest.fixture(scope="module")
def shaoguan(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "501_shaoguan.txt", SHAOGUAN)


@pytest.mark.parametrize("question", ["佛跳墙怎么做？", "量子纠缠是什么原理？"])
def test_a_question_about_words_no_report_holds_is_declined_at_any_threshold(shaoguan, question):
    """Even a scorer refit to answer everything (threshold 0) gives no figure for words the index never saw."""
    eager = replace(shaoguan, scorer=replace(shaoguan.scorer, threshold=0.0))
    got = eager.ask(question, k=3)
    assert got.answer is None
    assert got.citations, "the closest passages are still shown"
    assert any("没有出现问题里的" in note for note in got.notes), got.notes


def test_one_word_the_reports_hold_is_enough_to_try(shaoguan):
    """Paraphrases carry words the reports never use (穷孩子): one held word keeps the question answerable."""
    from qa.question import parse

    assert shaoguan.absent_terms(parse("韶关工会帮了多少个穷孩子上学？")) == ()
    assert shaoguan.absent_terms(parse("佛跳墙怎么做？")) == ("佛跳墙",)


@pytest.mark.xfail(
    reason="a known miss: the shipped weights and make fit's on this branch both answer 215名 (students) for "
    "多少个职工之家, a figure of another noun and measure word (README, 'The decision to answer or decline')",
    strict=False,
)
def test_a_declined_figure_shows_the_passages_and_why(shaoguan):
    """The report never says how many 职工之家 were built: no figure, the closest passages, and the reason."""
    got = shaoguan.ask("韶关市建成了多少个职工之家？", k=3)
    assert got.answer is None
    assert got.citations
    assert any("不给出" in note for note in got.notes), got.notes


def test_a_stated_figure_is_still_answered(shaoguan):
    got = shaoguan.ask("韶关市建成了多少家职工书屋？", k=3)
    assert got.answer is not None and "58家" in got.answer


def test_a_pick_failing_what_is_asked_is_declined_by_the_scorer_itself(shaoguan):
    """VETO: the chosen answer's per-unit misfit or missing place is no answer, however sure the chooser is."""
    from qa.scorer import VETO

    scorer = replace(shaoguan.scorer, threshold=0.0)
    fits = {"unit_exact": 1.0, "counted_fit": 1.0, "sentence_coverage": 1.0}
    n, confidence = scorer.decide([fits], ["3000元"])
    assert n == 0 and confidence > 0.0
    for flag in VETO:
        assert scorer.decide([{**fits, flag: 1.0}], ["3000元"]) == (None, 0.0)


def test_a_per_person_question_answered_only_by_a_total_is_declined(shaoguan):
    """每户 asked, only a total written (全市共发放…万元): declined at any threshold, the passages still shown."""
    eager = replace(shaoguan, scorer=replace(shaoguan.scorer, threshold=0.0))
    got = eager.ask("韶关市总工会每户困难职工领到多少慰问金？", k=3)
    assert got.answer is None, got.answer
    assert got.citations
    stated = eager.ask("韶关市总工会共发放了多少慰问金？", k=3)
    assert stated.answer is not None and "86万元" in stated.answer


def test_a_district_no_passage_names_gets_no_figure_of_its_city(shaoguan):
    """浈江区 asked, the report only says what the city did: its figure is not the district's (the question's scope
    declines it before the scorer does; VETO's asked_place_missing is the second line, for a passage of the city's
    report that the scope lets answer)."""
    eager = replace(shaoguan, scorer=replace(shaoguan.scorer, threshold=0.0))
    got = eager.ask("韶关市浈江区建成了多少家职工书屋？", k=3)
    assert got.answer is None, got.answer


QINGYUAN = """清远工会工作回顾

——广东省清远市总工会2022年工作回顾

2022年，清远市总工会新建基层工会组织52家，发展会员3600人。

截至年底，全市已有900余名快递员加入工会组织。

全市职工运动会开幕，市文联主席何文斌致辞。
"""


@pytest.fixture(scope="module")
def qingyuan(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "502_qingyuan.txt", QINGYUAN)


@pytest.mark.parametrize(
    ("question", "stated", "figure"),
    [
        ("清远市总工会一共有多少名会员？", "清远市总工会发展了多少名会员？", "3600人"),
        ("清远市一共有多少名快递员？", "清远市有多少名快递员加入了工会？", "900余名"),
    ],
)
def test_how_many_there_are_is_not_answered_by_how_many_joined(qingyuan, question, stated, figure):
    """有多少 asked, the report only counts those newly joined or founded: declined at any threshold; asked as the
    report counts them, answered."""
    eager = replace(qingyuan, scorer=replace(qingyuan.scorer, threshold=0.0))
    got = eager.ask(question, k=3)
    assert got.answer is None, got.answer
    assert got.citations
    answered = eager.ask(stated, k=3)
    assert answered.answer is not None and figure in answered.answer


def test_a_title_of_a_body_the_sentence_never_names_is_declined(qingyuan):
    """市政协主席 asked, the report names a 文联主席: no answer, whatever the threshold."""
    eager = replace(qingyuan, scorer=replace(qingyuan.scorer, threshold=0.0))
    assert eager.ask("清远市政协主席是谁？", k=3).answer is None


def test_asked_checks_read_the_question_against_the_sentence():
    from qa.features import asked_checks
    from qa.question import parse
    from qa.spans import Span

    sentence = "全县发展会员5000人，会员总数达到3.2万人。"
    joined = Span(sentence.index("5000人"), sentence.index("5000人") + 5, "5000人", "number")
    total = Span(sentence.index("3.2万人"), sentence.index("3.2万人") + 5, "3.2万人", "number")
    q = parse("郏县工会一共有多少名会员？")
    assert asked_checks(q, sentence, joined) == {"flow_for_stock": 1.0}
    assert asked_checks(q, sentence, total) == {}
    assert asked_checks(parse("郏县工会发展了多少名会员？"), sentence, joined) == {}
    chair = "市文联主席何文斌致辞"
    person = Span(5, 8, "何文斌", "person")
    assert asked_checks(parse("清远市政协主席是谁？"), chair, person) == {"title_body_unwritten": 1.0}
    assert asked_checks(parse("清远市文联主席是谁？"), chair, person) == {}
    assert asked_checks(parse("清远市总工会主席是谁？"), chair, person) == {}
    rng = "大学生每人资助3000元至5000元不等"
    span = Span(rng.index("3000"), rng.index("不等"), "3000元至5000元", "number")
    assert asked_checks(parse("平均每名大学生拿到多少助学金？"), rng, span) == {"range_for_average": 1.0}
    assert asked_checks(parse("每名大学生拿到多少助学金？"), rng, span) == {}


MEIZHOU = """梅州工会工作回顾

——广东省梅州市总工会2023年工作回顾

2023年“金秋助学”活动中，全市工会共排查出助学对象1260人，发放助学金215万元。

据统计，全市健在各级劳模342人。

“两节”期间，市总工会向符合条件的85名困难职工发放慰问金12.4万元。
"""


@pytest.fixture(scope="module")
def meizhou(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "503_meizhou.txt", MEIZHOU)


@pytest.mark.parametrize(
    ("question", "stated", "figure"),
    [
        ("梅州“金秋助学”助学对象中有多少名大学新生？", "梅州“金秋助学”排查出多少名助学对象？", "1260人"),
        ("梅州市有多少名省级劳动模范？", "梅州市健在的各级劳模有多少人？", "342人"),
        (
            "梅州市总工会“两节”期间慰问了多少名因灾致贫的困难职工？",
            "梅州市总工会“两节”期间慰问了多少名困难职工？",
            "85名",
        ),
    ],
)
def test_the_whole_group_is_no_answer_for_a_part_of_it(meizhou, question, stated, figure):
    """A part of a group, one level of honour or the noun under its own modifier asked, and the report counts only
    the whole group (助学对象, 各级劳模, 符合条件的困难职工): declined at any threshold; asked as written, answered."""
    eager = replace(meizhou, scorer=replace(meizhou.scorer, threshold=0.0))
    assert eager.ask(question, k=3).answer is None
    answered = eager.ask(stated, k=3)
    assert answered.answer is not None and figure in answered.answer


def test_asked_checks_tell_a_group_from_its_part():
    from qa.features import asked_checks
    from qa.question import parse
    from qa.spans import Span

    def figure(sentence: str, text: str) -> Span:
        return Span(sentence.index(text), sentence.index(text) + len(text), text, "number")

    pupils = "全市工会共排查出助学对象1260人"
    span = figure(pupils, "1260人")
    assert asked_checks(parse("助学对象中有多少名大学新生？"), pupils, span) == {"whole_for_part": 1.0}
    assert asked_checks(parse("有多少名助学对象？"), pupils, span) == {}
    models = "全市健在各级劳模342人"
    span = figure(models, "342人")
    assert asked_checks(parse("梅州市有多少名省级劳动模范？"), models, span) == {"all_levels_for_one": 1.0}
    assert asked_checks(parse("梅州市有多少名劳模？"), models, span) == {}
    helped = "向符合条件的85名困难职工发放慰问金"
    span = figure(helped, "85名")
    assert asked_checks(parse("慰问了多少名因灾致贫的困难职工？"), helped, span) == {"other_modifier": 1.0}
    assert asked_checks(parse("慰问了多少名符合条件的困难职工？"), helped, span) == {}
    winter = "冬送温暖期间走访慰问困难职工530人"
    span = figure(winter, "530人")
    assert asked_checks(parse("“夏送清凉”活动慰问了多少名职工？"), winter, span) == {"other_campaign": 1.0}
    assert asked_checks(parse("“冬送温暖”活动慰问了多少名职工？"), winter, span) == {}


HEYUAN = """河源工会工作回顾

——广东省河源市总工会2023年工作回顾

2023年，市总工会表彰了一批市级“职工书屋”，并为每个书屋配送价值2万元的图书。

全年新建基层工会120家，设立若干个职工创新工作室，创建25家市级“工人先锋号”。

市总工会全年累计发放困难职工大病和医疗救助款86万元，惠及困难职工930名。
"""


@pytest.fixture(scope="module")
def heyuan(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "504_heyuan.txt", HEYUAN)


@pytest.mark.parametrize(
    ("question", "stated", "figure"),
    [
        (
            "2023年河源市总工会表彰了多少个市级职工书屋？",
            "河源市总工会为每个书屋配送价值多少的图书？",
            "2万元",
        ),
        ("河源市总工会设立了多少个职工创新工作室？", "河源市总工会创建了多少家市级“工人先锋号”？", "25家"),
        ("河源市总工会发放的医疗救助款单独是多少？", "河源市总工会发放了多少大病和医疗救助款？", "86万元"),
    ],
)
def test_a_vague_amount_or_a_sum_of_two_is_no_figure_for_the_thing_asked(heyuan, question, stated, figure):
    """The report writes the asked thing with no figure (一批, 若干个) or counts it only together with another
    (大病和医疗救助款): declined, though the sentence holds other figures; the figures it does give are
    answered."""
    assert heyuan.ask(question, k=3).answer is None
    answered = heyuan.ask(stated, k=3)
    assert answered.answer is not None and figure in answered.answer


def test_asked_checks_find_vague_amounts_and_sums_of_two():
    from qa.features import asked_checks
    from qa.question import parse
    from qa.spans import Span

    named = "表彰了一批市级“职工书屋”"
    span = Span(named.index("一批"), named.index("一批") + 2, "一批", "number")
    assert asked_checks(parse("表彰了多少个职工书屋？"), named, span)["vague_amount"] == 1.0
    assert "vague_amount" not in asked_checks(parse("表彰了几批职工书屋？"), named, span)
    studios = "设立若干个职工创新工作室，创建25家市级“工人先锋号”"
    span = Span(studios.index("25家"), studios.index("25家") + 3, "25家", "number")
    assert asked_checks(parse("设立了多少个职工创新工作室？"), studios, span) == {
        "vague_for_asked": 1.0,
        "other_counted_noun": 1.0,
    }
    assert asked_checks(parse("创建了多少家工人先锋号？"), studios, span) == {}
    projects = "每年推动100多个市级重点工程开展竞赛"
    span = Span(projects.index("100"), projects.index("100") + 5, "100多个", "number")
    assert asked_checks(parse("每年推动多少个重点工程开展竞赛？"), projects, span) == {}
    paid = "发放困难职工大病和医疗救助款86万元"
    span = Span(paid.index("86万元"), paid.index("86万元") + 4, "86万元", "number")
    assert asked_checks(parse("医疗救助款单独是多少？"), paid, span) == {"one_of_joint": 1.0}
    assert asked_checks(parse("发放了多少大病和医疗救助款？"), paid, span) == {}
