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


def test_a_bracket_after_a_term_is_its_gloss():
    (gloss,) = spans.glosses("莆田市总工会干部践行“四勤”作风（即眼勤、手勤、腿勤、脑勤），深入基层。")
    assert gloss.text == "眼勤、手勤、腿勤、脑勤" and "四勤" in gloss.label


def test_a_list_is_offered_without_its_lead_in():
    found = [s.text for s in spans.enumerations("干部要眼勤、手勤、腿勤、脑勤")]
    assert "眼勤、手勤、腿勤、脑勤" in found


def test_the_clause_after_a_condition_is_its_consequence():
    found = {s.text: s.label for s in spans.clauses("经审查符合条件的，由工会指派律师免费代理。")}
    assert found == {"经审查符合条件的": "condition", "由工会指派律师免费代理": "consequence"}


def test_names_joined_with_their_titles_are_one_list():
    sentence = "3个工作室分别由全国劳模陈国荣、省劳模林志坚和省劳模黄美玲领衔。"
    lists = [s.text for s in spans.name_lists(spans.people(sentence), sentence)]
    assert lists == ["陈国荣、省劳模林志坚和省劳模黄美玲"]


def test_a_role_holder_is_read_from_yi_wei():
    (holder,) = spans.role_holders("成立了以市委副书记为组长的职工服务体系建设领导小组", "组长")
    assert holder.text == "市委副书记"


def test_a_decade_is_a_date():
    assert [s.text for s in spans.dates("早在上个世纪80年代末，莆田工会就开展劳动竞赛")] == [
        "上个世纪80年代末"
    ]


def test_round_chinese_figures_are_figures():
    assert [s.text for s in spans.numbers("培训企业工会干部千余人次，吸引超百万人次观看，共3万多名")] == [
        "3万多名",
        "千余人次",
        "超百万人次",
    ]


def test_an_organisation_lac_cuts_in_two_is_one_name():
    """LAC reads 中国能建|江西电建三公司检修 as two ORG words and leaves 公司 out: the name is the whole chain, a
    group's company's branch (an invented name; the cut is LAC's on this sentence)."""
    sentence = "中国能建江西电建三公司检修公司技能教练、省级技术能手王丽华多年来坚持带徒"
    assert [o.text for o in spans.organisations(sentence)] == ["中国能建江西电建三公司检修公司"]
    # two bodies joined by 与 stay two
    joined = [o.text for o in spans.organisations("南平市总工会与南平市人力资源和社会保障局联合举办招聘会")]
    assert joined == ["南平市总工会", "南平市人力资源和社会保障局"]
    # LAC's 宁德市总工会联合|市卫计委: the joining word ends the first word, and the two stay two
    found = [o.text for o in spans.organisations("2021年，宁德市总工会联合市卫计委开展职工健康讲座36场")]
    assert len(found) == 2 and found[1] == "市卫计委"
