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
        [("事件：福州市总工会拟与闽侯县人民政府签署协议，项目一期计划建设", None), ("4,000", "Helvetica"), ("平方米", None)],
        [("职工服务中心，预计一期总投资额约", None), ("6.66", "Helvetica"), ("亿元，年内完成主体建设。", None)],
        [("顺应职工需求，服务阵地快速扩展：", None), ("1-5", "Helvetica"), ("月新建职工驿站", None), ("36", "Helvetica"), ("个。", None)],
    ]
    for i, pieces in enumerate(body):
        x = 160
        for text, latin in pieces:
            page.setFont(latin or font, 10)
            page.drawString(x, top - 13 * i - (0.7 if latin else 0), text)
            x += pdfmetrics.stringWidth(text, latin or font, 10) + (1 if latin else 0)
    page.setFont(font, 8)
    for i in range(12):
        page.drawString(160, 500 - 11 * i, "注：本页数据来源于福州市总工会统计报表，仅供参考，不构成任何建议。")
    page.save()
    return path


def test_a_sidebar_half_a_line_off_and_lower_set_figures_leave_the_body_sentences_whole(tmp_path):
    text = read_report(_report_page_with_sidebar(tmp_path / "note.pdf"))
    body = next(line for line in _lines(text) if "事件" in line)
    assert not body.startswith("#"), "a paragraph of three lines in the body's font is not a heading"
    assert "计划建设4,000平方米职工服务中心，预计一期总投资额约6.66亿元" in body
    assert "月新建职工驿站36个" in text
    assert not any(line.startswith("#") and len(line) > 60 for line in _lines(text))
