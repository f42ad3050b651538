"""The question read once: what it asks for (list, comparison, role, form, numbered term) as fields of Question."""

from __future__ import annotations

from qa.question import parse


def test_a_list_question_is_read_as_one():
    assert parse("三明市总工会开展了哪些活动？").lists
    assert parse("竞赛设了哪几类项目？").lists  # 几 counts, but 哪几 asks for the items
    assert not parse("全市有多少个基层工会？").lists
    assert not parse("哪些城市的组建率超过了90%？").lists  # which places: a question across reports


def test_a_comparison_says_what_it_compares():
    most = parse("哪个城市的工会会员最多？").comparison
    assert most.across == "哪个城市" and most.superlative == 1
    assert parse("哪个县的职工书屋最少？").comparison.superlative == -1
    assert parse("龙岩工会会员比上年增长了多少？").comparison.growth
    assert parse("漳州工会组建率历年变化").comparison.series
    assert parse("各地新增会员对比").comparison.change
    assert parse("南平工会组建率是多少").comparison.rate
    plain = parse("南平有多少基层工会").comparison
    assert plain.across is None and not (plain.superlative or plain.growth or plain.series)


def test_a_role_a_title_and_a_post_are_read():
    assert parse("领导小组的组长由谁担任？").role == "组长"
    chair = parse("衢州市总工会主席是谁？")
    assert chair.title == "主席" and chair.form.who_holds
    assert parse("俞顺虎还担任什么职务？").form.post


def test_the_form_of_answer_asked():
    assert parse("职工书屋建在哪里？").form.where
    assert parse("和哪个单位联合举办？").form.org
    assert parse("他被评为什么称号？").form.honor
    assert parse("调解不成的接下来会怎样？").form.next
    assert parse("其中有几个获得金奖？").form.subset
    assert parse("平均每人补助多少元？").form.average and parse("平均每人补助多少元？").form.per


def test_a_numbered_term_and_an_ordinal_item():
    five = parse("“五勤”指的是哪五勤？")
    assert five.numbered == 5 and five.echo == "勤" and five.quoted == ("五勤",)
    assert parse("“五送”里的“三送”是送什么？").ordinal == ("三", "送")
    assert parse("第八送是什么？").ordinal == ("八", "送")


def test_the_phrases_around_the_asking_word():
    q = parse("受理的劳动争议案件中调解成功了多少起？")
    assert q.phrases[0] == "调解成功" and "调解成功" in q.focus
    assert parse("最关键的是什么？").copula == "最关键"
    assert parse("在法院设立的什么？").verb == "设立"


def test_a_count_question_counts_in_the_figures_units():
    """多少/几 is read with the measure words of the one figure grammar (index.text.figures.UNITS)."""
    assert parse("发放了多少张电影票？").unit == "张"
    assert parse("准备了几套备选清单？").unit == "套"
    assert parse("种了多少亩油菜？").unit == "亩"
    assert parse("给多少家次小微企业退还了经费？").unit == "家次"
    assert parse("签订了多少份集体合同？").counted == "集体合同"
    assert parse("举办了多少场劳动竞赛？").unit == "场"
    assert parse("第几届技能竞赛？").unit == "届"  # the answer is written 第二十届
    # A measure word that begins the noun is no measure word: 部门 and 门店 are what is counted.
    assert parse("全市有多少部门参与？").unit is None and parse("全市有多少部门参与？").counted == "部门"
    assert parse("开了多少门店？").unit is None
    assert parse("提高了多少倍？").unit == "倍"
