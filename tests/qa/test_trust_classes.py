"""Issue 18's failure classes, each on a short report written here (real place names, invented figures).

An answer is right or absent: a figure keeps its unit and counted noun, a role question gets the person who
holds that role, a figure whose unit does not fit the question is never the answer.
"""

from __future__ import annotations

import pytest

BAOSHAN = """工会暖心行动纪实

——吉林省白山市总工会工作纪实

2022年入夏以来，白山市总工会为一线职工发放矿泉水3.6万瓶、西瓜7000余斤、防暑药品1200盒。

白山市总工会向会员集中发放景点门票超30000张，惠及职工12万余名。

白山市总工会已连续资助困难职工子女17个年头，全市建成爱心驿站36个。

白山市总工会主席李春和、常务副主席王秋菊出席启动仪式，副主席赵德明主持仪式。

全市职工书屋共投入资金86万元。
"""


def one_report(tmp_path_factory, embedder, name: str, text: str):
    """An assistant over one report written here, as a user would add it."""
    from index.build import build_index
    from qa import Assistant

    root = tmp_path_factory.mktemp(name.split(".")[0])
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / name).write_text(text, encoding="utf-8")
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder, seeds_dir=seeds)


@pytest.fixture(scope="module")
def trust_world(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "201_baishan.txt", BAOSHAN)


def _answer(assistant, question: str) -> str:
    got = assistant.ask(question).answer
    assert got is not None, f"{question} was declined"
    return got


@pytest.mark.parametrize(
    "question, expected",
    [
        ("白山市总工会发放了多少瓶矿泉水？", "3.6万瓶"),
        ("白山市总工会发放了多少斤西瓜？", "7000余斤"),
        ("白山市总工会向会员发放了多少张景点门票？", "超30000张"),
        ("白山市总工会连续资助困难职工子女多少年了？", "17个年头"),
    ],
)
def test_a_figure_keeps_its_measure_word(trust_world, question, expected):
    assert expected in _answer(trust_world, question)


def test_figure_grammar_reads_measure_words():
    from index.text import figures

    for text, unit in (("3.6万瓶", "瓶"), ("7000余斤", "斤"), ("超30000张", "张"), ("17个年头", "个年头")):
        assert figures.NUMBER.fullmatch(text), text
        assert figures.unit_of(text) == unit


def test_the_deputy_is_not_the_chair(trust_world):
    assert _answer(trust_world, "白山市总工会主席是谁？") == "李春和"
    assert _answer(trust_world, "白山市总工会常务副主席是谁？") == "王秋菊"


def test_a_deputy_is_never_given_for_a_chair_no_report_names(trust_world):
    got = trust_world.ask("白山市总工会主席是谁？").answer
    assert got not in ("王秋菊", "赵德明")


def test_a_figure_in_another_unit_is_never_the_answer(trust_world):
    """Asked how many 职工书屋, the report gives only the money spent on them: no answer."""
    assert trust_world.ask("白山市建成了多少家职工书屋？").answer is None


def test_a_total_is_not_an_average(trust_world):
    assert trust_world.ask("白山市总工会平均给每名职工发放了多少瓶矿泉水？").answer is None


def test_a_role_no_sentence_gives_is_declined(trust_world):
    """No one in the report is called 党组书记: neither the chair nor the deputies answer for one."""
    assert trust_world.ask("白山市总工会党组书记是谁？").answer is None


def test_a_declined_answer_still_shows_the_passages_and_says_why(trust_world):
    got = trust_world.ask("白山市建成了多少家职工书屋？")
    assert got.answer is None
    assert got.citations, "the best passages are still shown"
    assert any("不给出" in note for note in got.notes)


YINGTAN = """鹰潭工会工作回顾

——江西省鹰潭市总工会2023年工作回顾

鹰潭市工会第五次代表大会于2023年5月召开，大会共有参会代表361名，其中列席代表41名。

省总工会党组书记、常务副主席张建国出席并讲话，市总工会党组书记、常务副主席刘芳主持会议。

鹰潭市铜业集团工会主席陈立新介绍了企业工会的经验，余江区副区长周明到会祝贺。

近年来，鹰潭累计选树“鹰潭工匠”120名，“鹰潭大工匠”6名。

全市各级工会筹措帮扶资金1800万元，同比增长23.5%。

2023年，鹰潭市总工会计划新建职工书屋50家，全年实际建成职工书屋62家。

市总工会为每名困难职工子女发放助学金2000元，共发放助学金36万元。

鹰潭市总工会始终以服务职工、凝聚职工、引领职工为工作宗旨，开展“匠心铸魂”主题活动。

信江渔业工会的干部登上赣鹰渔3021开展安全检查。

鹰潭市总工会为快递员、外卖骑手建成爱心驿站23个。
"""


@pytest.fixture(scope="module")
def yingtan(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "401_yingtan.txt", YINGTAN)


def test_another_one_of_a_series_is_never_the_answer(yingtan):
    """The report is about the fifth congress: asked about the fourth, its figures do not answer."""
    assert yingtan.ask("鹰潭市工会第四次代表大会有多少名参会代表？").answer is None
    assert "361名" in _answer(yingtan, "鹰潭市工会第五次代表大会有多少名参会代表？")


def test_the_figure_of_the_counted_noun_with_its_modifier(yingtan):
    assert _answer(yingtan, "鹰潭市工会第五次代表大会有多少名列席代表？") == "41名"


def test_the_figure_of_the_quoted_name_asked(yingtan):
    assert _answer(yingtan, "鹰潭累计选树了多少名“鹰潭大工匠”？") == "6名"
    assert _answer(yingtan, "鹰潭累计选树了多少名“鹰潭工匠”？") == "120名"


def test_a_rise_is_answered_with_the_rise(yingtan):
    assert _answer(yingtan, "鹰潭各级工会筹措的帮扶资金同比增长了多少？") == "23.5%"


def test_a_plan_is_not_what_was_done(yingtan):
    assert _answer(yingtan, "鹰潭市2023年实际建成了多少家职工书屋？") == "62家"
    assert _answer(yingtan, "鹰潭市总工会2023年计划新建多少家职工书屋？") == "50家"


def test_a_figure_per_person_is_not_the_total(yingtan):
    assert _answer(yingtan, "鹰潭市总工会给每名困难职工子女发放多少助学金？") == "2000元"
    assert _answer(yingtan, "鹰潭市总工会一共发放了多少助学金？") == "36万元"


def test_the_titles_asked_and_their_body(yingtan):
    """Asked for the city union's officer: not the province union's, not a company union's, not a deputy."""
    assert _answer(yingtan, "鹰潭市总工会党组书记、常务副主席是谁？") == "刘芳"
    assert yingtan.ask("鹰潭市总工会主席是谁？").answer is None
    assert yingtan.ask("余江区区长是谁？").answer is None


def test_a_number_in_a_name_is_not_a_count(yingtan):
    assert yingtan.ask("鹰潭市有多少个渔业工会？").answer is None


def test_a_measure_word_the_question_writes_is_not_met_by_another_counter(yingtan):
    # 份 asked: 23个 counts stations, not insurance policies; 个 asked, the same figure is the answer.
    assert yingtan.ask("鹰潭市总工会为外卖骑手赠送了多少份意外伤害保险？").answer is None
    assert _answer(yingtan, "鹰潭市总工会为外卖骑手建成了多少个爱心驿站？") == "23个"


def test_a_definition_is_what_the_text_frames_not_a_slogan_beside_it(yingtan):
    assert "服务职工、凝聚职工、引领职工" in _answer(yingtan, "鹰潭市总工会的工作宗旨是什么？")


def test_question_reading_of_titles_series_and_change():
    from qa.question import parse

    q = parse("东营市总工会党组书记、常务副主席是谁？")
    assert q.titles == ("党组书记", "常务副主席") and q.title_body == "市总工会"
    assert parse("重庆市工会第五次代表大会有多少名正式代表出席？").ordinals == ((5, "次代表"),)
    assert parse("南京市命名的第二批“南京工匠”有多少名？").ordinals == ((2, "批"),)
    change = parse("九江各级工会筹措的帮扶资金同比增长了多少？")
    assert change.asks_change and change.unit is None


DONGYING = """东营工会工作纪实

——山东省东营市总工会工作纪实

2023年，东营市总工会组织职工技能竞赛86场，参赛职工2.3万人次。

东营经济技术开发区总工会组建企业工会45家，签订集体合同120份。

胜利油田工会为一线职工发放防暑药品5200盒。

全市建成职工书屋132家，其中全国示范职工书屋9家。

市总工会筹集送温暖资金680万元，慰问困难职工4100户。

全市新建基层工会310家，新发展会员2.6万名。

东营市总工会开展“工匠进校园”活动40场，受益学生8000余人。

东营蓝海化工有限公司工会今年开展“金秋助学”活动。该公司确定资助对象38名，其中考入本科的子女25名。
"""


@pytest.fixture(scope="module")
def zones(tmp_path_factory, embedder):
    from index.build import build_index
    from qa import Assistant

    root = tmp_path_factory.mktemp("zones")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "301_dongying.txt").write_text(DONGYING, encoding="utf-8")
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder, seeds_dir=seeds)


def test_a_zone_the_report_names_is_answered_from_its_sentence(zones):
    assert "45家" in _answer(zones, "东营经济技术开发区总工会组建了多少家企业工会？")


def test_a_zone_or_company_no_report_names_is_declined(zones):
    assert zones.ask("东营高新区总工会组建了多少家企业工会？").answer is None
    assert zones.ask("东营市河口区仙河镇总工会组织了多少场技能竞赛？").answer is None
    assert zones.ask("中石化胜利石油工程有限公司工会发放了多少盒防暑药品？").answer is None


def test_a_company_the_report_names_is_answered(zones):
    assert "5200盒" in _answer(zones, "胜利油田工会发放了多少盒防暑药品？")


def test_a_sentence_naming_the_company_by_gai_answers_for_it(zones):
    """该公司 names the company of the passage: its sentence answers for it, as one writing the name does."""
    assert "38名" in _answer(zones, "东营蓝海化工有限公司确定了多少名资助对象？")
    assert zones.ask("东营红星化工有限公司确定了多少名资助对象？").answer is None


TONGHUA = """通化工会工作回顾

——吉林省通化市总工会2023年工作回顾

通化市总工会副主席严龙平日前介绍说，全市已建成职工驿站45个。

节前，困难职工收到了通化市总工会王彤标主席及领导班子成员送来的慰问金。

通化市工会第七次代表大会以来的五年，全市工会举办职工技能竞赛八次，参赛职工3.2万人次。

春节前，走访慰问组在市委常委、常务副市长赵振东带领下，深入企业看望一线职工。

“美丽通化”职工摄影展共有120多幅作品参展，评出一等奖5名。

会上，通化市总工会党组书记、常务副主席孙立军作总结讲话。

“健康通化 快乐工作”通化市第八届职工运动会5月20日开幕。

当天命名的首批“通化工匠”分别是：焊工张建华、电工刘明远、钳工赵海峰。

2023年，通化市总工会对工人文化宫进行改造，将职工书屋搬至通化市职工文化活动中心，藏书达到3万余册。

暑期，通化市总工会推出16场亲子共读专场，服务300多个职工家庭。

全市工会经费收入1650万元，2个县工会经费突破150万元，5个县工会经费过100万元。

夏季，通化市总工会深入高温作业场所慰问一线职工5.2万人(次)，发放防暑用品8600份。

市总工会驻村工作队结对帮扶6个建档立卡贫困户，帮助销售农产品12万元。

今年共筹措助学资金31.5万元，救助86人，现已全部通过银行代发的方式发放到位。
"""


@pytest.fixture(scope="module")
def tonghua(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "501_tonghua.txt", TONGHUA)


def test_a_name_is_not_cut_by_the_segmenter(tonghua):
    """LAC reads 严龙|平日前 and 王彤|标主席: the name is the three characters, with the title after it too."""
    assert _answer(tonghua, "通化市总工会副主席是谁？") == "严龙平"
    assert _answer(tonghua, "通化市总工会主席是谁？") == "王彤标"


def test_people_spans_keep_whole_names():
    from qa import spans as sp

    got = {p.text: p.label for p in sp.people("通化市总工会副主席严龙平日前介绍说")}
    assert got == {"严龙平": "副主席"}
    got = {p.text: (p.label, p.body) for p in sp.people("收到了通化市总工会王彤标主席送来的慰问金")}
    assert got == {"王彤标": ("主席", "市总工会")}
    # a name LAC tags as a verb before 和 is still a name after a title
    assert [p.text for p in sp.people("集安市渔业联合工会主席许中兴和执法队员登上渔船")] == ["许中兴"]
    # a whole two-character name stays two characters
    assert [p.text for p in sp.people("副主席张伟平时很少休息")] == ["张伟"]


def test_which_one_of_a_series_is_answered_with_its_ordinal(tonghua):
    """第几次 asks which congress: 第七次, never the count 八次 beside it."""
    assert _answer(tonghua, "这五年是从通化市工会第几次代表大会算起的？") == "第七次"


def test_a_person_leading_a_team_is_a_person(tonghua):
    assert _answer(tonghua, "春节前通化的走访慰问组由谁带队？") == "赵振东"


def test_a_figure_keeps_a_measure_word_and_a_dashed_range(tonghua):
    from index.text import figures

    assert _answer(tonghua, "“美丽通化”职工摄影展有多少幅作品参展？") == "120多幅"
    for text, unit in (("1500—2500元", "元"), ("50类", "类"), ("四种", "种"), ("140多幅", "幅")):
        assert figures.NUMBER.fullmatch(text) or figures.CHINESE_NUMBER.fullmatch(text), text
        assert figures.unit_of(text) == unit


def test_question_reading_of_ordinals_and_leaders():
    from qa.question import parse

    assert parse("东营举办的是第几届全市职工职业技能竞赛？").ordinal_asked == "届"
    assert parse("他代表哪一届委员会作工作报告？").ordinal_asked == "届"
    assert parse("东营市工会第五次代表大会有多少名代表？").ordinal_asked is None
    assert parse("慰问组由谁带队？").kind == "person"
    assert parse("这次活动由谁主办？").kind == "place"
    visits = parse("找服务窗口的一共有多少人次？")
    assert visits.writes_unit("人次") and not visits.writes_unit("人")
    assert parse("筹集了多少万元？").writes_unit("万元") and parse("有几个县？").writes_unit("个")


def test_a_post_asked_is_the_whole_chain_of_titles(tonghua):
    assert "党组书记、常务副主席" in _answer(tonghua, "孙立军在通化市总工会担任什么职务？")


def test_which_one_of_a_series_is_not_an_item(tonghua):
    """第八届运动会 names the games, it is not the eighth item of something: the theme is the answer."""
    assert "健康通化 快乐工作" in _answer(tonghua, "通化市第八届职工运动会的主题是什么？")


def test_the_name_of_a_list_is_the_one_its_own_words_describe(tonghua):
    assert _answer(tonghua, "首批“通化工匠”中的电工是谁？") == "刘明远"
    assert _answer(tonghua, "首批“通化工匠”中的钳工是谁？") == "赵海峰"


def test_a_verb_heads_no_body():
    from qa import spans as sp

    got = [c.text for c in sp.headed("市总工会与市人社局联合督办欠薪案件", "部门")]
    assert "督办" not in got and any(t.endswith("人社局") for t in got)


def test_where_is_the_place_after_the_locative_verb(tonghua):
    """搬至通化市职工文化活动中心: the whole place after 搬至, not a place name inside it."""
    assert _answer(tonghua, "通化市总工会把职工书屋搬到了哪里？") == "通化市职工文化活动中心"


def test_locative_spans():
    from qa import spans as sp

    got = [c.text for c in sp.locatives("今年4月，在玉皇山公园观景台举办的颁奖典礼上")]
    assert "玉皇山公园观景台" in got
    assert [c.text for c in sp.locatives("现在存在的问题很多")] == []


def test_the_measure_word_the_question_writes_fits_the_figure(tonghua):
    """多少个职工家庭 writes 个 (a family is otherwise counted in 户); 几个县 counts counties, though about 万元."""
    assert _answer(tonghua, "通化市总工会的亲子共读专场服务了多少个职工家庭？") == "300多个"
    assert _answer(tonghua, "通化有几个县的工会经费突破了150万元？") == "2个"


def test_a_figure_counting_the_noun_asked_in_another_measure_word(tonghua):
    """几户贫困户 is answered by 6个建档立卡贫困户; 多少一线职工 by 5.2万人(次), which counts people."""
    assert _answer(tonghua, "通化市总工会驻村工作队结对帮扶了几户建档立卡贫困户？") == "6个"
    assert _answer(tonghua, "通化市总工会到高温作业场所慰问了多少一线职工？") == "5.2万人(次)"


def test_how_something_was_done_is_the_means_the_text_names(tonghua):
    """怎么发到…手里 is answered by X of 通过X的方式, not by the clause with the most of the question's words."""
    assert _answer(tonghua, "通化市总工会的助学金是怎么发到受助学生手里的？") == "银行代发"


def test_a_date_keeps_the_part_of_the_day():
    from qa import spans as sp

    assert [d.text for d in sp.dates("9月18日上午，集安市总工会举行助学金发放仪式。")] == ["9月18日上午"]
    assert [d.text for d in sp.dates("2022年9月18日下午举行")] == ["2022年9月18日下午"]
    assert [d.text for d in sp.dates("9月18日，仪式举行")] == ["9月18日"]


SANMING = """三明市总工会2023年工作报告

三明市村（社区）联合工会415家，覆盖企业1.37万家。

全年各级工会受理劳动争议案件316起，调解成功258起。

全市筹集资金980万元﹔资助困难职工和困难农民工子女2725人，慰问一线职工7361人。

金秋助学资助2009名困难职工子女。
"""


@pytest.fixture(scope="module")
def sanming(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "206_sanming.txt", SANMING)


def _figures(assistant, question: str) -> dict[str, dict[str, float]]:
    """Each figure the chooser weighs for the question, with its features (the sentence's figures side by side)."""
    from qa.extract import candidates
    from qa.question import parse

    q = parse(question, prefer=assistant.index.place_codes())
    found = candidates(q, assistant.retrieve(q, 10), assistant.weight)
    return {c.text: c.features for c in found if c.kind == "number"}


def test_the_figure_of_the_counted_noun_leads_its_sentence(sanming):
    """联合工会415家，覆盖企业1.37万家 for 多少家企业: of the sentence's two figures only 1.37万家 counts 企业."""
    got = _figures(sanming, "三明的村和社区联合工会覆盖了多少家企业？")
    assert got["1.37万家"].get("sentence_best_counted") == 1.0
    assert "sentence_best_counted" not in got["415家"]


def test_the_figure_that_counts_the_asked_noun_answers(sanming):
    """管着多少家企业 (a paraphrase): 415家 stands against the question's own 联合工会, but only 1.37万家 counts
    企业, so the sentence's other figure in 家 is left out when answering (qa.extract._prefer_counted_leader)."""
    from qa.extract import Candidate, _prefer_counted_leader

    assert sanming.ask("三明的村和社区联合工会管着多少家企业？", k=2).answer == "1.37万家"
    sentence = "三明市村（社区）联合工会415家，覆盖企业1.37万家，会员21万人"

    def figure(text: str, **features: float) -> Candidate:
        at = sentence.index(text)
        return Candidate(0, sentence, at, at + len(text), text, "number", 1.0, dict(features))

    unions, firms, members = figure("415家"), figure("1.37万家", sentence_best_counted=1.0), figure("21万人")
    assert _prefer_counted_leader([unions, firms, members]) == [firms, members]
    assert _prefer_counted_leader([unions, members]) == [unions, members]  # no leader: all stay


def test_the_figure_right_after_the_asked_phrase_leads_its_sentence(sanming):
    """受理316起，调解成功258起 for 调解成功了多少起: the figure after the asked phrase, not the one beside it."""
    got = _figures(sanming, "三明劳动争议调解成功了多少起？")
    assert got["258起"].get("sentence_best_phrase") == 1.0
    assert "sentence_best_phrase" not in got["316起"]


def test_counters_of_people_answer_one_another_and_a_longer_noun_is_a_misfit(sanming):
    """多少名 is met exactly by 2725人; 2009名困难职工子女 counts 子女, not the 困难职工 asked."""
    got = _figures(sanming, "三明资助了多少名困难职工和困难农民工子女？")
    assert got["2725人"].get("unit_exact") == 1.0
    longer = _figures(sanming, "三明金秋助学资助了多少名困难职工？")
    assert longer["2009名"].get("counted_longer") == 1.0
    assert "counted_fit" not in longer["2009名"]


def test_a_small_form_semicolon_ends_a_clause():
    """筹集资金980万元﹔资助…2725人: 筹集 before ﹔ is not in 2725人's stretch (some PDFs keep ﹔)."""
    from qa import spans as sp
    from qa.candidates import CLAUSE_MARK
    from qa.features import term_stretches

    sentence = "全市筹集资金980万元﹔资助困难职工子女2725人"
    assert CLAUSE_MARK.search(sentence)
    start = sentence.index("2725人")
    figure = sp.Span(start, start + len("2725人"), "2725人", "number", unit="人")
    positions = [(t, sentence.index(t), len(t), 1.0) for t in ("筹集", "资助")]
    assert term_stretches(figure, [], positions, lambda t: 1.0, sentence) == (1.0, 0.0)


JIUJIANG = """九江市总工会2023年工作回顾

九江市总工会全年新建基层工会组织120家，会员达到8600人，职工之家35家。

九江市总工会举办职工技能竞赛12场，参赛职工3400人次。

九江市总工会筹集送温暖资金260万元，走访慰问困难职工1500户。

九江市总工会开展法律援助，为职工追回欠薪480万元。

九江市职工书屋共配送图书2.1万册。
"""


@pytest.fixture(scope="module")
def jiujiang(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "207_jiujiang.txt", JIUJIANG)


def test_a_subgroup_asked_of_a_total_is_declined(jiujiang):
    """会员达到8600人 for 多少名农民工会员: only the head 会员 is written, and the sentence lacks most of what is asked
    (农民工, 发展). The figure is a neighbouring fact, the total: declined whatever the stage trusts."""
    from qa.scorer import vetoed

    got = _figures(jiujiang, "九江市总工会发展了多少名农民工会员？")
    assert got["8600人"].get("counted_partial") == 1.0
    assert vetoed(got["8600人"])
    assert jiujiang.ask("九江市总工会发展了多少名农民工会员？").answer is None
    total = _figures(jiujiang, "九江市总工会有多少名会员？")
    assert not vetoed(total["8600人"])


def test_a_misfit_vetoes_only_with_much_of_the_question_missing():
    from qa.scorer import MISSING_SHARE, vetoed

    assert vetoed({"head_misfit": 1.0, "sentence_missing_share": MISSING_SHARE})
    assert vetoed({"counted_partial": 1.0, "sentence_missing_share": 0.8})
    assert not vetoed({"counted_partial": 1.0, "sentence_missing_share": 0.25})
    assert not vetoed(
        {"counted_absent": 1.0, "sentence_missing_share": 0.8}
    )  # a paraphrased noun, often right


NINGBO = """宁波工会工作安排

——浙江省宁波市总工会2024年工作安排

2024年，宁波市总工会将新建120家基层工会组织，设立若干个职工创新工作室，创建45家市级“工人先锋号”。

宁波市总工会为8300户困难家庭建立档案，为5600户单亲困难职工发放慰问金。

近日，宁波市总工会表彰了一批市级“最美职工”，并为每名“最美职工”发放奖金2000元。

宁波市总工会开展“夏送清凉”活动，慰问高温作业一线职工3.2万人次。

全市各级工会举办职工技能竞赛86场，参赛职工1.5万名。

宁波市职工服务中心全年接待职工来访来电4100件次。
"""


@pytest.fixture(scope="module")
def ningbo(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "402_ningbo.txt", NINGBO)


def test_a_figure_counting_another_noun_is_not_the_answer(ningbo):
    """The studios asked stand in the sentence without a figure: 45家 counts another noun, so no answer."""
    assert ningbo.ask("宁波市总工会2024年计划设立多少个职工创新工作室？").answer is None
    assert _answer(ningbo, "宁波市总工会2024年将新建多少家基层工会组织？") == "120家"
    assert _answer(ningbo, "宁波市总工会为多少户困难家庭建立了档案？") == "8300户"


def test_a_batch_is_no_count(ningbo):
    """一批 says "a number of": no answer to how many."""
    assert ningbo.ask("宁波市总工会表彰了多少名市级“最美职工”？").answer is None
