"""Issue 18, classes 2 and 6: of a sentence's figures, the one the question asks for (a short report written here,
real place names, invented figures): the modifier of its counted noun, the counter it is written in, per unit."""

from __future__ import annotations

import pytest

from tests.qa.test_trust_classes import _figures, one_report

PUTIAN = """莆田市总工会2024年工作报告

莆田市工会第九次代表大会到会的正式代表中共有参会代表320名。

出席的还有25名特邀代表、31名列席代表，以及12名来宾。

今年要办不少于40类、150场次劳动和技能竞赛，预计8万人次职工参赛。

两年选送56项职工创新成果参加全省职工创新成果展，其中获金奖项目12个，银奖5个。

2023年起，全市在职职工自愿参加医疗互助，每年每人缴纳互助金30元至80元。

全市工会当年共筹集医疗互助金2600多万元，为4100名患病职工发放补助金。

2024年，全市金秋助学标准由往年的每人1500—2500元提高至2500—4000元。

冬季送温暖中，患病的困难职工每人领到慰问金4000元，受灾的困难职工按两档分别获得救助金2500元、1500元。

全市1.52万家企业建立了职工代表大会制度，1.41万家企业推行了厂务公开制度。
"""


@pytest.fixture(scope="module")
def putian(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "208_putian.txt", PUTIAN)


def test_a_counted_noun_with_another_modifier_is_another_count(putian):
    """特邀代表 asked: 参会代表320名 and 31名列席代表 count other 代表; 25名特邀代表 is the figure asked."""
    got = _figures(putian, "莆田市工会第九次代表大会邀请了多少名特邀代表？")
    assert got["320名"].get("counted_other_modifier") == 1.0
    assert got["31名"].get("counted_other_modifier") == 1.0
    assert "counted_other_modifier" not in got["25名"]
    listed = _figures(putian, "莆田市工会第九次代表大会有多少名列席代表？")
    assert listed["25名"].get("counted_other_modifier") == 1.0
    assert "counted_other_modifier" not in listed["31名"]
    total = _figures(putian, "莆田市工会第九次代表大会有多少名代表？")
    assert "counted_other_modifier" not in total["320名"]  # 代表 asked: any 代表 counts them


def test_own_nouns_of_a_figure():
    from qa import spans as sp
    from qa.features import _own_nouns

    sentence = "大会共有参会代表320名，另邀请25名特邀代表"
    found = {c.text: c for c in sp.numbers(sentence)}
    assert _own_nouns(sentence, found["320名"])[0] == "参会代表"  # 共有 says nothing of the noun
    assert _own_nouns(sentence, found["25名"])[1] == "特邀代表"


def test_a_counter_the_question_writes_is_not_met_by_a_count_of_events(putian):
    """多少类竞赛: 150场次 counts events of the same 竞赛, not kinds of it, and is no answer; 不少于40类 is."""
    got = _figures(putian, "莆田市总工会开展了多少类劳动和技能竞赛？")
    assert "150场次" not in got
    assert got["不少于40类"].get("unit_exact") == 1.0
    assert "不少于40类" in putian.ask("莆田市总工会开展了多少类劳动和技能竞赛？").answer


def test_another_generic_counter_for_ge(putian):
    """几个获得金奖 (个 read as no unit): 56项 counts the entries in another counter, 12个 the winners in 个."""
    got = _figures(putian, "莆田选送的职工创新成果中有几个获得金奖？")
    assert got["56项"].get("counter_other") == 1.0
    assert "counter_other" not in got["12个"]


def test_a_part_asked_is_not_answered_by_the_whole(putian):
    """项目中有几个获得金奖: 56项 counts every entry, 12个 the part asked; 银奖5个, after the part, stays for 银奖."""
    from qa.extract import Candidate, _prefer_part_asked

    got = _figures(putian, "莆田选送的职工创新成果中有几个获得金奖？")
    assert got["12个"].get("subset_asked") == 1.0 and "subset_asked" not in got["56项"]
    assert putian.ask("莆田选送的职工创新成果中有几个获得金奖？", k=3).answer == "12个"
    sentence = "两年选送56项职工创新成果参加全省职工创新成果展，其中获金奖项目12个，银奖5个"

    def figure(text: str, **features: float) -> Candidate:
        at = sentence.index(text)
        return Candidate(0, sentence, at, at + len(text), text, "number", 1.0, dict(features))

    whole, gold, silver = figure("56项"), figure("12个", subset_cue=1.0, subset_asked=1.0), figure("5个")
    assert _prefer_part_asked([whole, gold, silver]) == [gold, silver]
    assert _prefer_part_asked([whole, silver]) == [whole, silver]  # no part asked: all stay


def test_the_asked_words_in_a_figures_own_clause(putian):
    """Character by character, in the clause each figure heads or ends: 获得金奖 stands as 获金奖项目 beside 12个
    only, 职代会 as 职工代表大会 beside 1.52万家 only (厂务公开制度 is 1.41万家's), and the sentence's other figure
    shares none of those words."""
    gold = _figures(putian, "莆田选送的职工创新成果中有几个获得金奖？")
    assert gold["12个"]["focus_chars"] > 0.4 > gold["56项"].get("focus_chars", 0.0)
    assert gold["12个"].get("sentence_best_focus") == 1.0 and "sentence_best_focus" not in gold["56项"]
    congress = _figures(putian, "莆田实行职代会制度的企业有多少家？")
    assert congress["1.52万家"]["clause_chars"] > congress["1.41万家"]["clause_chars"]
    assert congress["1.52万家"].get("sentence_best_clause") == 1.0
    assert "sentence_best_clause" not in congress["1.41万家"]


def test_a_fee_for_one_year_is_the_per_person_figure(putian):
    """一年得交多少钱 asks a yearly fee, not writing 每人: 每年每人…30元至80元 answers it; the 2600多万元 raised in
    all is a total, never the answer (per_unit_mismatch). Before, the fee was the misfit (written per, asked not)."""
    question = "在莆田，职工想参加医疗互助，一年得交多少钱？"
    got = _figures(putian, question)
    assert "per_unit_mismatch" not in got["30元至80元"]
    assert got["2600多万元"].get("per_unit_mismatch") == 1.0
    assert putian.ask(question).answer == "30元至80元"


def test_question_reading_of_the_per_unit_asked():
    from qa.features import asked_per_units
    from qa.question import parse

    assert asked_per_units(parse("职工想参加医疗互助，一年得交多少钱？")) == {"年"}
    assert asked_per_units(parse("一个月能领多少补贴？")) == {"月"}
    assert asked_per_units(parse("一年来共帮助多少名职工？")) == set()  # 一年来: over the year, not per year
    assert asked_per_units(parse("以前每个受助学生能拿多少助学金？")) == {"人"}
    assert asked_per_units(parse("每个基地投入多少钱？")) == {"个"}


def test_the_level_a_change_reached_or_started_from(putian):
    """由每人1500—2500元提高至2500—4000元: 提高到每人多少 asks the level reached, 以前 the one before; the other
    level is no answer. A question naming neither (2012年以前 is a period) takes either."""
    to = _figures(putian, "莆田的金秋助学标准提高到每人多少？")
    assert "2500—4000元" in to and "1500—2500元" not in to
    before = _figures(putian, "莆田以前每个受助学生一般能拿多少金秋助学金？")
    assert "1500—2500元" in before and "2500—4000元" not in before
    from qa.features import asked_level

    assert asked_level("2012年以前的5年里有多少家企业参加竞赛？") is None
    assert asked_level("助学金标准提高到每人多少？") == "to"


def test_figures_given_one_each_are_one_answer(putian):
    """分别获得救助金2500元、1500元 for 分别获得多少: both figures, as the sentence gives them."""
    got = _figures(putian, "莆田冬季送温暖中受灾的困难职工分别获得多少救助金？")
    assert "2500元、1500元" in got
    plain = _figures(putian, "莆田冬季送温暖中患病的困难职工每人领到多少慰问金？")
    assert "2500元、1500元" not in plain


XIAMEN = """厦门市总工会2023年工作报告

一、2023年工作回顾

2023年，全市工会帮助职工实现就业3.6万人，举办专场招聘会85场。

全市工会建成的职工书屋从2019年的120个增加到2023年上半年的260个。

二、2024年工作安排

全力稳定职工就业，全市工会帮助职工实现就业不少于3万人，举办专场招聘会不少于90场。
"""


@pytest.fixture(scope="module")
def xiamen(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "209_xiamen.txt", XIAMEN)


def test_what_was_done_before_a_target_when_no_plan_is_asked(xiamen):
    """帮助职工实现就业多少人 names no year and no plan: last year's 3.6万人, not this year's target 不少于3万人
    (a real work report gave its target); a question asking the target keeps the target among its figures."""
    from qa.extract import candidates
    from qa.question import parse

    def targets(question: str) -> dict[str, bool]:
        q = parse(question, prefer=xiamen.index.place_codes())
        return {c.text: c.target for c in candidates(q, xiamen.retrieve(q, 3), xiamen.weight)}

    done = targets("厦门市总工会帮助职工实现就业多少人？")
    assert done["不少于3万人"] and not done["3.6万人"]
    assert xiamen.ask("厦门市总工会帮助职工实现就业多少人？", k=3).answer == "3.6万人"
    asked = targets("厦门市总工会帮助职工实现就业的目标是多少人？")
    assert not asked["不少于3万人"] and not asked["3.6万人"]


def test_a_list_opened_by_a_target_is_planned():
    from qa.features import planned

    sentence = "今年的主要预期目标是：生产总值增长6%左右，一般公共预算收入增长4%。"
    assert planned(sentence, sentence.index("4%"))
    done = "全年生产总值增长5.1%，一般公共预算收入增长3.2%。"
    assert not planned(done, done.index("3.2%"))


def test_the_figure_of_the_period_asked(xiamen):
    """从2019年的120个增加到2023年上半年的260个: 2023年上半年 asked, the 2019 figure is no answer (a real
    research report's price was answered with its 2019 figure, the sentence's first)."""
    got = _figures(xiamen, "2023年上半年厦门工会建成的职工书屋有多少个？")
    assert "120个" not in got and "260个" in got
    assert xiamen.ask("2023年上半年厦门工会建成的职工书屋有多少个？", k=3).answer == "260个"


def test_reading_a_figures_period():
    from qa.period import asked_period, other_period, own_period

    sentence = "电价从2019年0.8元降低到2022年Q1的0.39元，比2020年下降一半"
    assert own_period(sentence, sentence.index("0.8")) == (2019, None)
    assert own_period(sentence, sentence.index("0.39")) == (2022, "Q1")
    assert asked_period("2022年一季度电价是多少", 2022) == (2022, "Q1")
    assert asked_period("2022年第二季度电价是多少", 2022) == (2022, "Q2")
    assert other_period("2022年一季度电价是多少", 2022, sentence, sentence.index("0.8"))
    assert not other_period("2022年一季度电价是多少", 2022, sentence, sentence.index("0.39"))
    assert not other_period("电价是多少", None, sentence, sentence.index("0.8"))  # no period asked
    compared = "2023年会员人数比2022年增加1200人"
    assert own_period(compared, compared.index("1200")) is None  # 比2022年: the base of a comparison
    since = "自2018年以来累计培训5000人次"
    assert own_period(since, since.index("5000")) is None  # 2018年以来: the start of a span


def test_a_bare_span_of_years_is_no_amount():
    """A table's or chart's column head 2020-2021 counts nothing: a real research report's 当前价格 was answered
    with one (its own price stood beside an analyst's name, read as one line)."""
    from qa.features import misfit
    from qa.question import parse
    from qa.spans import Span

    row = "相对涨幅 2020-2021 当前价格(元)：36.15"
    years = Span(row.index("2020"), row.index("2020") + 9, "2020-2021", "number")
    price = Span(row.index("36.15"), row.index("36.15") + 5, "36.15", "number")
    assert misfit(parse("当前价格是多少？"), row, years, {})
    assert not misfit(parse("当前价格是多少？"), row, price, {})


def test_the_figure_right_after_the_asked_predicate_wins_its_sentence():
    """受理案件228起，调解成功197起 for 调解成功了多少起: when one figure of a sentence stands right after the whole
    phrase the question puts before 多少, the sentence's other figures in its unit are left out when answering."""
    from qa.extract import Candidate, _prefer_asked_predicate

    sentence = "去年共受理劳动争议案件412起，调解成功365起，参与仲裁88件"

    def figure(text: str, **features: float) -> Candidate:
        at = sentence.index(text)
        return Candidate(0, sentence, at, at + len(text), text, "number", 1.0, dict(features))

    accepted = figure("412起", predicate_elsewhere=1.0)
    settled = figure("365起", predicate_before=1.0)
    other_unit = figure("88件", predicate_elsewhere=1.0)
    kept = _prefer_asked_predicate([accepted, settled, other_unit])
    assert accepted not in kept and settled in kept and other_unit in kept
    # no figure right after the phrase asked: all stay
    assert _prefer_asked_predicate([accepted, other_unit]) == [accepted, other_unit]
