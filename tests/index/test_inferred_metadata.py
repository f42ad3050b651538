"""Title and place read from documents that are not union reports: a standard's cover, a sidebar, a word
that holds a place name. Each document is written here (real place names, invented text)."""

from __future__ import annotations

from index.readers.read import read_report
from index.text.articles import split_articles
from index.text.layout import classify, split_lines

STANDARD_COVER = [
    "ICS 27.120.99",
    "F 09",
    "中华人民共和国能源行业标准",
    "NB/T 20512—2020",
    "核电厂职工职业健康管理规范",
    "2020-10-23发布　2021-02-01实施",
    "国家能源局  发布",
]
STANDARD_BODY = [
    "1 范围",
    "本标准规定了核电厂在长寿期运行阶段职工职业健康管理的要求，适用于核电厂运营单位工会和职工健康管理部门。",
    "2 职责",
    "运营单位工会负责组织职工健康体检，每年组织体检不少于1次，长寿期改造后体检覆盖率达到100%。",
]
REPORT = [
    "2021年，永安市总工会团结带领全市职工建功新时代，全市新建职工书屋36个，发放帮扶资金460万元。",
    "全市组织劳动竞赛118场次，参加职工2.2万人次。",
    "全市开展“金秋助学”活动，资助困难职工子女212名，发放助学金63万元；为困难职工建立档案841户。",
    "全市推进新就业形态劳动者入会，新发展会员1.1万人，建成户外劳动者服务站点42个，全年接待劳动者9.6万人次。",
    "全市职工书屋累计借阅图书8.6万册次，组织职工读书分享会35场，评选书香职工家庭20户。",
]
# A box about somewhere else, naming it (and its cities) more often than the report names its own place.
SIDEBAR = [
    "链接：海峡对岸的工会",
    "台湾的劳工团体分为产业工会、职业工会和企业工会。台湾的工会组织率约为33%，台北、新北、台中、台南、高雄、"
    "桃园六市的职业工会最多，台湾的职业工会以劳保为主，台湾企业工会多在大企业。",
]


def articles(text: str):
    return split_articles("doc.txt", classify(split_lines(text)))


def test_a_standards_cover_gives_its_name_as_the_title_not_its_codes():
    (article,) = articles("\n\n".join(STANDARD_COVER + STANDARD_BODY) + "\n")
    assert article.title == "核电厂职工职业健康管理规范"
    assert article.city is None  # 长寿期 is a plant's long-life period, not 重庆's 长寿区


def test_a_standard_written_as_a_word_file_reads_the_same(tmp_path):
    import docx

    document = docx.Document()
    for line in STANDARD_COVER:
        document.add_paragraph(line)
    for line in STANDARD_BODY:
        document.add_paragraph(line) if len(line) > 10 else document.add_heading(line, level=1)
    document.save(str(tmp_path / "std.docx"))
    (article,) = articles(read_report(tmp_path / "std.docx"))
    assert article.title == "核电厂职工职业健康管理规范"
    assert article.city is None


def test_a_title_holding_a_word_with_a_place_name_gives_no_place():
    (article,) = articles("核电机组长寿期运行中的职工技能培训\n\n" + "\n\n".join(STANDARD_BODY[1::2]) + "\n")
    assert article.city is None
    (district,) = articles("长寿区总工会开展职工技能培训\n\n" + "\n\n".join(STANDARD_BODY[1::2]) + "\n")
    assert district.city == "长寿"  # the district itself, named in full, still counts


def test_a_sidebar_about_another_place_does_not_become_the_reports_place():
    text = "\n\n".join(["永安市总工会2021年工作报告", *REPORT, *SIDEBAR, "永安市总工会将继续深化工会改革。"])
    (article,) = articles(text + "\n")
    assert (article.title, article.city, article.year) == ("永安市总工会2021年工作报告", "永安", 2021)


def test_a_report_whose_head_names_no_place_takes_the_one_its_text_names():
    body = [p.replace("全市", "永安市", 1) for p in REPORT]
    (article,) = articles("\n\n".join(["市总工会2021年工作综述", *body]) + "\n")
    assert article.city == "永安"
    (unknown,) = articles("\n\n".join(["市总工会2021年工作综述", *REPORT[1:]]) + "\n")
    assert unknown.city is None  # nothing names a place: left unknown for the form to ask


def test_a_report_that_opens_on_its_text_keeps_that_paragraph_as_text():
    # A news item with no title line: its first paragraph is text (once taken as the title, never indexed).
    first = "3月8日，东营市总工会联合市妇联启动2025年女职工技能竞赛。"
    opening = first + "全市共有86家企业的4300余名女职工报名参赛。"
    (article,) = articles("\n\n".join([opening, *REPORT[1:]]) + "\n")
    assert article.blocks[0].text == opening and article.blocks[0] in article.body
    assert article.title == first.rstrip("。")  # its first sentence is shown as the title
    assert article.city == "东营"
    # A title line stays the title, short or ending on a mark (奋进！…).
    (titled,) = articles("\n\n".join(["奋进！东营市女职工建功新时代", *REPORT[1:]]) + "\n")
    assert titled.title == "奋进！东营市女职工建功新时代" and titled.blocks[0].kind == "title"


def test_a_citys_nickname_that_is_another_provinces_district_does_not_place_the_report():
    # 江城 is 武汉's nickname and, written in full (江城区), a district of 阳江: a 武汉 report that says 江城 twice
    # and names its city once, inside a company's name, is 武汉's; the short form alone names no district.
    text = [
        "市总工会五年工作巡礼",
        "五年来，市总工会服务的脚印遍布江城各地，服务对象由困难职工扩展到全体会员。",
        "市总工会领导带队到武汉某重型机械有限公司慰问困难职工126户，发放慰问金38万元。",
        "近五年来，江城“金秋助学”共资助困难职工子女1460名。",
    ]
    (article,) = articles("\n\n".join(text) + "\n")
    assert article.place_chain == ("武汉", "湖北")
    # Beside its city (阳江) the short form is the district.
    (district,) = articles(
        "\n\n".join(["阳江市总工会五年工作巡礼", *text[1:]]).replace("武汉", "阳江") + "\n"
    )
    assert district.place_chain[:2] == ("江城", "阳江")
