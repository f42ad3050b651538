"""How real documents are laid out, read right: Word's automatic numbering, a table of contents, running
headers and two-column pages. Each document is written by the test (python-docx, reportlab)."""

from __future__ import annotations

from index.readers.numbering import format_number
from index.readers.read import read_report
from tests import documents as docs


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_word_automatic_numbering_is_kept_before_its_paragraphs(tmp_path):
    path = docs.make_numbered_docx(
        tmp_path / "std.docx",
        [
            ("范围", "section", 0),
            ("本文件规定了福州市职工书屋建设的要求。", None, 0),
            ("规范性引用文件", "section", 0),
            ("基本要求", "section", 1),
            ("场地要求", "section", 1),
            ("职工书屋面积不少于30平方米。", "chinese", 0),
            ("藏书不少于1500册。", "chinese", 0),
            ("管理", "section", 0),
            ("职工书屋建设情况统计表", "appendix", 0),
            ("职工书屋借阅登记表", "appendix", 0),
        ],
    )
    assert _lines(read_report(path)) == [
        "# 1 范围",
        "本文件规定了福州市职工书屋建设的要求。",
        "## 2 规范性引用文件",
        "## 2.1 基本要求",
        "## 2.2 场地要求",
        "（一）职工书屋面积不少于30平方米。",
        "（二）藏书不少于1500册。",
        "## 3 管理",
        "## 附录A 职工书屋建设情况统计表",
        "## 附录B 职工书屋借阅登记表",
    ]


def test_word_number_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 10, 12, 20, 35, 105)] == [
        "一", "十", "十二", "二十", "三十五", "一百零五",
    ]  # fmt: skip
    assert [format_number(n, "upperLetter") for n in (1, 26, 27)] == ["A", "Z", "AA"]
    assert format_number(4, "lowerRoman") == "iv" and format_number(3, "ideographTraditional") == "丙"
    assert format_number(2, "decimalEnclosedCircle") == "②"


def test_a_table_of_contents_without_dot_leaders_is_left_out_not_glued_to_the_body(tmp_path):
    title, paragraphs = docs.long_report(place="福鼎市", pages=1)
    contents = ["一、主要工作", "二、存在问题", "三、下一步打算"]
    for same_page in (True, False):
        pdf = docs.make_pdf(
            tmp_path / f"toc{same_page}.pdf",
            title=title,
            paragraphs=paragraphs,
            contents=contents,
            leader=False,
            contents_page=not same_page,
        )
        assert _lines(read_report(pdf)) == [f"# {title}", *paragraphs]


def test_a_word_table_of_contents_is_left_out(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_heading(docs.TITLE, level=0)
    for style in ("TOC Heading", "toc 1"):
        if style not in [s.name for s in document.styles]:
            document.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("目录", style="TOC Heading")
    for n, entry in enumerate(["一、主要工作", "二、下一步打算"], 2):
        document.add_paragraph(f"{entry}\t{n}", style="toc 1")
    for text in docs.PARAGRAPHS:
        document.add_paragraph(text)
    document.save(str(tmp_path / "toc.docx"))
    assert _lines(read_report(tmp_path / "toc.docx")) == [f"# {docs.TITLE}", *docs.PARAGRAPHS]


def test_running_headers_do_not_land_mid_sentence_and_columns_do_not_interleave(tmp_path):
    title, paragraphs = docs.long_report(place="宁德市蕉城区", pages=4, seed=5)
    for columns, pages in ((1, 2), (1, 5), (2, 2), (2, 5)):
        body = paragraphs[: len(paragraphs) * pages // 4]
        pdf = docs.make_pdf(
            tmp_path / f"h{columns}{pages}.pdf",
            title=title,
            paragraphs=body,
            columns=columns,
            header="宁德市蕉城区总工会工作报告",
            split=True,
        )
        assert _lines(read_report(pdf)) == [f"# {title}", *body], (columns, pages)


def test_two_columns_a_character_apart_are_not_interleaved(tmp_path):
    title, paragraphs = docs.long_report(place="南平市延平区", pages=3, seed=8)
    for gutter in (11.0, 8.0):  # a newspaper's gutter: one character of 11 pt, or less
        pdf = docs.make_pdf(
            tmp_path / f"g{gutter}.pdf",
            title=title,
            paragraphs=paragraphs,
            columns=2,
            gutter=gutter,
            split=True,
        )
        assert _lines(read_report(pdf)) == [f"# {title}", *paragraphs], gutter


def test_word_content_controls_are_read_and_a_contents_control_left_out(tmp_path):
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def control(gallery: str, *texts: str):
        paragraphs = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
        return parse_xml(
            f"<w:sdt {w}><w:sdtPr><w:docPartObj><w:docPartGallery w:val='{gallery}'/></w:docPartObj></w:sdtPr>"
            f"<w:sdtContent>{paragraphs}</w:sdtContent></w:sdt>"
        )

    document = docx.Document()
    document.add_heading(docs.TITLE, level=0)
    body = document.element.body
    body.insert(len(body) - 1, control("Table of Contents", "目录", "一、主要工作\t2"))
    body.insert(len(body) - 1, control("Cover Pages", docs.PARAGRAPHS[0]))
    for text in docs.PARAGRAPHS[1:]:
        document.add_paragraph(text)
    document.save(str(tmp_path / "sdt.docx"))
    assert _lines(read_report(tmp_path / "sdt.docx")) == [f"# {docs.TITLE}", *docs.PARAGRAPHS]


def _report_page_with_sidebar(path):
    """A research-note page as brokers lay it out: a sidebar (analyst, contacts) whose lines sit half a line
    above the body's, the body's figures in a Latin font set 0.7 pt lower, the prose in a 10 pt font and a
    longer block of 8 pt notes (so the most common size is not the body's)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    top = 760
    for i, text in enumerate(["证券分析师", "林晓东", "邮箱：linxd@example.com", "研究助理", "陈一鸣"]):
        page.setFont(font, 10)
        page.drawString(30, top + 6 - 13 * i, text)  # half a line above the body's rows
    body = [
        [
            ("事件：福州市总工会拟与闽侯县人民政府签署协议，项目一期计划建设", None),
            ("4,000", "Helvetica"),
            ("平方米", None),
        ],
        [
            ("职工服务中心，预计一期总投资额约", None),
            ("6.66", "Helvetica"),
            ("亿元，年内完成主体建设。", None),
        ],
        [
            ("顺应职工需求，服务阵地快速扩展：", None),
            ("1-5", "Helvetica"),
            ("月新建职工驿站", None),
            ("36", "Helvetica"),
            ("个。", None),
        ],
    ]
    for i, pieces in enumerate(body):
        x = 160
        for text, latin in pieces:
            page.setFont(latin or font, 10)
            page.drawString(x, top - 13 * i - (0.7 if latin else 0), text)
            x += pdfmetrics.stringWidth(text, latin or font, 10) + (1 if latin else 0)
    page.setFont(font, 8)
    for i in range(12):
        page.drawString(
            160, 500 - 11 * i, "注：本页数据来源于福州市总工会统计报表，仅供参考，不构成任何建议。"
        )
    page.save()
    return path


def test_a_sidebar_half_a_line_off_and_lower_set_figures_leave_the_body_sentences_whole(tmp_path):
    text = read_report(_report_page_with_sidebar(tmp_path / "note.pdf"))
    body = next(line for line in _lines(text) if "事件" in line)
    assert not body.startswith("#"), "a paragraph of three lines in the body's font is not a heading"
    assert "计划建设4,000平方米职工服务中心，预计一期总投资额约6.66亿元" in body
    assert "月新建职工驿站36个" in text
    assert not any(line.startswith("#") and len(line) > 60 for line in _lines(text))


def test_running_headers_that_alternate_between_odd_and_even_pages_are_left_out(tmp_path):
    # Word's odd and even page headers: the report's name on one, the part's on the other, each on half the
    # pages only; the part's name had landed mid-sentence where a page break cut it.
    title, paragraphs = docs.long_report(place="三明市", pages=5, seed=11)
    pdf = docs.make_pdf(
        tmp_path / "alternate.pdf",
        title=title,
        paragraphs=paragraphs,
        header=("三明市总工会2023年工作报告", "一、工作回顾"),
        split=True,
    )
    lines = _lines(read_report(pdf))
    assert lines == [f"# {title}", *paragraphs]
    assert not any("工作回顾" in line for line in lines)


def _page_with_charts(path):
    """A report page as Word exports charts: a line chart drawn as paths with its percent ticks one a line
    left of the plot and its months under it, a bar chart with its scale `0 20 40 60 80` as one line, and a
    table without rules whose head (2019 2020 2021 2022) steps evenly like an axis but is a table's."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)

    def paragraph(y: float, *lines: str) -> None:
        page.setFont(font, 11)
        for k, line in enumerate(lines):
            page.drawString(60 + (22 if k == 0 else 0), y - 16 * k, line)

    paragraph(
        780, "今年以来，莆田市职工服务中心接待职工12万人次，同比增长18.5%，其中", "线上服务占比提高到46.2%。"
    )
    paragraph(748, "全市新建职工驿站52个，改造提升31个，驿站总数达到", "318个，覆盖全部乡镇（街道）。")
    # Line chart: plot at x 100-300, y 560-700; ticks 0%-100% every 28 pt at the left, months below.
    page.setLineWidth(0.8)
    path_ = page.beginPath()
    path_.moveTo(100, 580)
    for k, y in enumerate((600, 640, 630, 690)):
        path_.curveTo(110 + 50 * k, y - 10, 130 + 50 * k, y + 5, 150 + 50 * k, y)
    page.drawPath(path_, stroke=1, fill=0)
    page.line(100, 565, 100, 705)  # the axes
    page.line(100, 565, 300, 565)
    page.setFont("Helvetica", 7)
    for k in range(6):
        page.drawRightString(95, 563 + 28 * k, f"{20 * k}%")
    for k, month in enumerate(("2023-01", "2023-04", "2023-07", "2023-10")):
        page.drawCentredString(110 + 60 * k, 555, month)
    page.setFont(font, 11)
    page.drawString(60, 530, "图1 职工服务中心接待人次增长率")
    paragraph(505, "线上服务以“莆工惠”平台为主，全年办理业务3.6万件，平均", "办结时间缩短到2.5天。")
    # Bar chart: filled bars with the scale as one line of labels under them.
    for k, h in enumerate((40, 70, 55)):
        page.rect(120 + 50 * k, 400, 30, h, stroke=0, fill=1)
    page.setFont("Helvetica", 7)
    page.drawString(110, 388, "0      20      40      60      80")
    page.setFont(font, 11)
    page.drawString(60, 365, "图2 各县区新建职工驿站数量")
    paragraph(345, "各县区中，仙游县新建驿站最多，荔城区次之。")
    # A table without rules: the head steps evenly, a row of figures under it.
    rows = [
        ("指标", "2019", "2020", "2021", "2022"),
        ("会员人数", "31.2", "33.5", "35.1", "36.8"),
        ("工会组建率", "88.1%", "90.2%", "91.6%", "92.3%"),
        ("职工书屋", "120", "136", "151", "167"),
    ]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            page.setFont(font if c == 0 else "Helvetica", 10)
            page.drawString(60 + (0 if c == 0 else 80 + 70 * (c - 1)), 310 - 16 * r, cell)
    paragraph(230, "全年共发放困难职工帮扶资金1,260万元，惠及职工4,300余人。")
    page.save()
    return path


def test_a_charts_axis_labels_are_left_out_and_a_table_whose_head_steps_evenly_is_kept(tmp_path):
    text = read_report(_page_with_charts(tmp_path / "charts.pdf"))
    lines = _lines(text)
    for tick in ("0%", "20%", "100%", "2023-01", "2023-10", "0 20 40 60 80"):
        assert not any(line.replace(" ", "") == tick.replace(" ", "") for line in lines), tick
    assert not any("%20%" in line or "80%100%" in line for line in lines)
    assert (
        "今年以来，莆田市职工服务中心接待职工12万人次，同比增长18.5%，其中线上服务占比提高到46.2%。" in lines
    )
    assert "全市新建职工驿站52个，改造提升31个，驿站总数达到318个，覆盖全部乡镇（街道）。" in lines
    assert "线上服务以“莆工惠”平台为主，全年办理业务3.6万件，平均办结时间缩短到2.5天。" in lines
    assert "图1 职工服务中心接待人次增长率" in text and "图2 各县区新建职工驿站数量" in text
    assert any("工会组建率" in line and "2019: 88.1%" in line and "2022: 92.3%" in line for line in lines), (
        lines
    )
    assert any("职工书屋" in line and "2020: 136" in line for line in lines)
    assert "全年共发放困难职工帮扶资金1,260万元，惠及职工4,300余人。" in lines


def test_a_paragraph_whose_first_line_alone_ends_a_page_goes_on_over_the_break(tmp_path):
    # A real WPS-made work report ended two pages with a paragraph's first line (no widow control); the
    # paragraph came out cut in two, `…着力打造我国自` and `主创新的…`.
    whole = (
        "今年永安市总工会深入开展职工技能提升行动，全年组织各类技能竞赛一百二十场，参赛职工达到三万余人次，"
        "评选出市级技术能手八十六名，推荐省级劳动模范十二名，职工队伍素质得到明显提升。"
    )
    before = (
        "永安市总工会坚持以职工为中心的工作导向，扎实做好各项工作，全市工会组织建设取得新的进展，"
        "会员人数持续增长，基层工会规范化建设水平不断提高。"
    )
    after = "全市工会系统还开展送温暖活动，走访慰问困难职工一千二百户，发放慰问金三百六十万元。"
    pages = [[before, whole[:34]], ["+" + whole[34:], after]]  # the first page ends on whole's first line
    paragraphs = [
        line for line in read_report(docs.make_lines_pdf(tmp_path / "b.pdf", pages)).split("\n") if line
    ]
    assert [whole, after] == [p for p in paragraphs if p in (whole, after)]
    assert before in paragraphs and whole[:34] not in paragraphs
