"""Readers on real files the tests make: Word (python-docx), PDF (reportlab), web pages, scans, wrong names."""

from __future__ import annotations

import html
import zipfile

import pytest

from index.corpus import build_passages
from index.errors import ReportReadError
from index.readers.read import read_report, report_text
from tests import documents as docs

BODY = list(docs.PARAGRAPHS)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_docx_keeps_title_heading_paragraphs_and_table_rows_in_order(tmp_path):
    text = read_report(docs.make_docx(tmp_path / "r.docx"))
    lines = _lines(text)
    assert lines[0] == f"# {docs.TITLE}" and lines[1] == "## 一、主要工作"
    half = len(BODY) // 2
    # Each row keeps its headers; the table has no caption, so the heading above it is its title.
    rows = [f"一、主要工作 · {head} · {docs.TABLE[0][1]}: {value}" for head, value in docs.TABLE[1:]]
    assert lines[2:] == BODY[:half] + rows + BODY[half:]


@pytest.mark.parametrize("columns,reverse", [(1, False), (2, False), (2, True)])
def test_pdf_paragraphs_come_out_whole_and_in_reading_order(tmp_path, columns, reverse):
    title, paragraphs = docs.long_report(pages=3)
    pdf = docs.make_pdf(
        tmp_path / "r.pdf", title=title, paragraphs=paragraphs, columns=columns, reverse_stream=reverse
    )
    lines = _lines(read_report(pdf))
    # Paragraphs cut by column and page breaks are whole again; page numbers ("- 2 -") are gone.
    assert lines == [f"# {title}", *paragraphs]


def test_html_article_without_menus_related_links_or_footer(tmp_path):
    for charset in ("utf-8", "gbk"):
        text = read_report(docs.make_html(tmp_path / f"{charset}.html", charset=charset))
        lines = _lines(text)
        assert lines[0] == f"# {docs.TITLE}"
        assert lines[1:] == BODY
        for noise in (*docs.NAV[1:], *docs.RELATED, "版权所有", "分享到", "当前位置"):
            assert noise not in text


def test_html_keeps_subheadings_and_a_short_notice_stays_clean():
    text = report_text(docs.html_page(heading="二、帮扶工作").encode(), "sub.html")
    assert _lines(text) == [f"# {docs.TITLE}", *BODY[:2], "## 二、帮扶工作", *BODY[2:]]
    notice = report_text(docs.html_page(paragraphs=BODY[1:2]).encode(), "notice.html")
    assert _lines(notice)[:2] == [f"# {docs.TITLE}", BODY[1]]
    for noise in (*docs.NAV[1:], *docs.RELATED, "版权所有", "分享到", "当前位置"):
        assert noise not in notice


def test_html_passages_keep_no_markdown_backslash_escapes():
    said = [
        '文件写作<b class="x">加粗</b>、a*b、snake_case、[附件]、`代码`、~约~与 C:\\data\\x 照原样保留。',
        "# 号开头的正文",
    ]
    page = docs.html_page(paragraphs=[html.escape(p) for p in [*said, *BODY[2:]]])
    lines = _lines(report_text(page.encode(), "escaped.html"))
    assert lines[1] == said[0]
    assert lines[2] == "＃ 号开头的正文"  # the reader's own mark for a body line that starts with #
    assert not any("\\<" in line or "\\*" in line or "\\_" in line for line in lines)


def test_scanned_pdf_where_ocr_finds_no_text_is_refused(tmp_path):
    with pytest.raises(ReportReadError, match="no text layer and OCR found no text"):
        read_report(docs.make_scanned_pdf(tmp_path / "scan.pdf"))
    # A typed cover over scanned pages is not read as if the cover were the report.
    with pytest.raises(ReportReadError, match=r"OCR found no text on 2 of its 3 pages \(pages 2, 3\)"):
        read_report(docs.make_scanned_pdf(tmp_path / "mixed.pdf", text_cover=True))


def test_the_kind_comes_from_the_content_not_the_name(tmp_path):
    pdf = docs.make_pdf(tmp_path / "real.pdf")
    docx_file = docs.make_docx(tmp_path / "real.docx")
    html = docs.make_html(tmp_path / "real.html")
    for source, wrong in ((pdf, "report.docx"), (docx_file, "report.txt"), (html, "report.pdf")):
        renamed = tmp_path / wrong
        renamed.write_bytes(source.read_bytes())
        assert read_report(renamed) == read_report(source)
        renamed.unlink()


def test_utf16_text_with_a_bom_is_read_as_text_little_and_big_endian():
    text = "南平市2023年政府工作报告\r\n全市生产总值增长5.1%。\n"
    for encoding, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        assert report_text(bom + text.encode(encoding), "notepad.txt") == text.replace("\r\n", "\n")
    with pytest.raises(ReportReadError, match="binary"):
        report_text(b"\xff\xfe" + b"\x01\x00\x02\x00" * 64, "blob.txt")
    with pytest.raises(ReportReadError, match="not valid UTF-16"):
        report_text(b"\xff\xfe" + b"\x00\xd8A\x00" * 8, "cut.txt")


def test_unknown_binaries_and_other_office_files_are_refused_with_the_fix(tmp_path):
    with pytest.raises(ReportReadError, match="binary"):
        report_text(bytes(range(256)) * 8, "blob.bin")
    with pytest.raises(ReportReadError, match="image cannot be read"):
        report_text(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.pdf")
    with pytest.raises(ReportReadError, match=r"old Word \.doc.*save it as \.docx"):
        report_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.doc")
    sheet = tmp_path / "book.xlsx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReportReadError, match="Excel workbook, not a Word"):
        read_report(sheet)
    with pytest.raises(ReportReadError, match="damaged zip"):
        report_text(b"PK\x03\x04" + b"\x01" * 100, "broken.docx")


def test_reading_is_deterministic_and_passage_offsets_point_into_the_read_text(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    docs.make_docx(seeds / "a.docx")
    for name, city in (("b.pdf", "宁波"), ("c.html", "莆田")):
        title, body = docs.TITLE.replace("宁德", city), [p.replace("宁德", city) for p in BODY]
        make = docs.make_pdf if name.endswith(".pdf") else docs.make_html
        extra = {"columns": 2, "reverse_stream": True} if name.endswith(".pdf") else {}
        make(seeds / name, title=title, paragraphs=body, **extra)
    texts = {p.name: read_report(p) for p in seeds.iterdir()}
    assert texts == {p.name: read_report(p) for p in seeds.iterdir()}
    passages, report = build_passages(seeds)
    assert sorted(report.files) == ["a.docx", "b.pdf", "c.html"] and not report.skipped
    for passage in passages:
        pieces = [texts[part.source][part.start : part.end] for part in passage.parts]
        assert "".join(pieces).strip() == passage.text
    cities = {a.source: (a.city, a.year) for a in report.articles}
    assert cities == {"a.docx": ("宁德", 2021), "b.pdf": ("宁波", 2021), "c.html": ("莆田", 2021)}
    titles = {a.source: a.title for a in report.articles}
    assert titles["a.docx"].startswith(docs.TITLE) and titles["c.html"] == docs.TITLE.replace("宁德", "莆田")


def test_pdf_figures_in_a_latin_font_on_a_lower_baseline_stay_in_their_sentence(tmp_path):
    title, paragraphs = docs.long_report(pages=2)
    pdf = docs.make_pdf(tmp_path / "wps.pdf", title=title, paragraphs=paragraphs, figure_font="Times-Roman")
    assert _lines(read_report(pdf)) == [f"# {title}", *paragraphs]


def test_pdf_table_of_contents_is_left_out(tmp_path):
    title, paragraphs = docs.long_report(pages=1)
    contents = ["一、主要工作", "二、存在问题", "三、下一步打算"]
    pdf = docs.make_pdf(tmp_path / "toc.pdf", title=title, paragraphs=paragraphs, contents=contents)
    text = read_report(pdf)
    assert _lines(text) == [f"# {title}", *paragraphs]


TOWNS = (("乡镇", "基层工会数", "组建率"), ("小陶镇", "46家", "93.1%"), ("贡川镇", "38家", "88.4%"))
TOWN_ROWS = [
    "永安市各乡镇工会组建情况 · 小陶镇 · 基层工会数: 46家 · 组建率: 93.1%",
    "永安市各乡镇工会组建情况 · 贡川镇 · 基层工会数: 38家 · 组建率: 88.4%",
]


def test_word_table_rows_keep_caption_row_and_column_heads(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("永安市总工会2022年工作报告", level=0)
    document.add_paragraph(BODY[0])
    document.add_paragraph("永安市各乡镇工会组建情况")
    grid = document.add_table(rows=len(TOWNS), cols=3)
    for r, row in enumerate(TOWNS):
        for c, cell in enumerate(row):
            grid.cell(r, c).text = cell
    document.add_paragraph(BODY[1])
    document.save(str(tmp_path / "t.docx"))
    lines = _lines(read_report(tmp_path / "t.docx"))
    assert lines[3:5] == TOWN_ROWS and lines[5] == BODY[1]


def test_xlsx_sheet_rows_keep_title_and_heads(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["永安市各乡镇工会组建情况", None, None])
    for row in TOWNS:
        sheet.append(list(row))
    sheet.append([None, None, None])
    book.save(tmp_path / "towns.xlsx")
    assert _lines(read_report(tmp_path / "towns.xlsx")) == ["# 永安市各乡镇工会组建情况", *TOWN_ROWS]
    passages, _ = build_passages(tmp_path)
    assert [p.text for p in passages] == TOWN_ROWS


def test_pdf_table_rows_keep_caption_and_heads(tmp_path):
    pdf = docs.make_pdf(
        tmp_path / "t.pdf",
        title="永安市总工会2022年工作报告",
        paragraphs=BODY[:2],
        table=TOWNS,
        table_title="永安市各乡镇工会组建情况",
    )
    lines = _lines(read_report(pdf))
    assert lines == ["# 永安市总工会2022年工作报告", BODY[0], "永安市各乡镇工会组建情况", *TOWN_ROWS, BODY[1]]


def test_a_report_pasted_as_one_100000_character_line_is_read_as_paragraphs_of_whole_sentences(tmp_path):
    from index.readers.read import PASTED_PARAGRAPH_CHARS
    from index.reports import preview

    line = "".join(f"第{i}项：全市新建职工书屋{i}个，服务职工{i * 10}人次。" for i in range(4000))[:100_000]
    line = line[: line.rindex("。") + 1]
    text = report_text(line.encode(), "pasted.txt")
    paragraphs = [p for p in text.split("\n") if p]
    assert "".join(paragraphs) == line and len(paragraphs) > 150
    assert all(len(p) <= PASTED_PARAGRAPH_CHARS and p.endswith("。") for p in paragraphs)
    assert preview(line.encode(), "pasted.txt").chars == len(text)  # accepted: it has body paragraphs
    (tmp_path / "pasted.txt").write_text(line, encoding="utf-8")
    passages, report = build_passages(tmp_path)
    assert report.files == ["pasted.txt"] and len(passages) > 150


def test_a_reader_whose_package_is_missing_names_the_extra_to_install(tmp_path):
    """A library install without [readers]: adding a Word file says which extra brings python-docx."""
    import subprocess
    import sys
    from pathlib import Path

    report = docs.make_docx(
        tmp_path / "三明.docx", title="三明市总工会工作报告", paragraphs=["三明市总工会建成职工书屋12家。"]
    )
    blocked = (
        "import importlib.abc, sys\n"
        "class Blocker(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'docx':\n"
        "            raise ImportError(f'{name} is blocked in this test')\n"
        "sys.meta_path.insert(0, Blocker())\n"
        "from index.errors import ReportReadError\n"
        "from index.readers.read import read_report\n"
        "try:\n"
        f"    read_report({str(report)!r})\n"
        "except ReportReadError as exc:\n"
        "    print(exc)\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", blocked], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    said = out.stdout.strip()
    assert "三明.docx" in said and "'docx'" in said and "union-reports-qa[readers]" in said
    assert "\n" not in said


def test_a_page_laid_out_with_a_ruled_table_reads_as_paragraphs_not_table_rows(tmp_path):
    # Word's research-report layout: a sidebar cell beside the body's cell; the body is prose, not data.
    from index.readers.tables import is_table_row

    sidebar = ["增持（维持）", "所属行业：机械设备", "证券分析师：林明", "电话：0591-88886666"]
    pdf = docs.make_layout_table_pdf(tmp_path / "点评.pdf", sidebar, docs.PARAGRAPHS[:4])
    text = read_report(pdf)
    lines = [line.lstrip("# ").strip() for line in text.split("\n") if line.strip()]
    assert not [line for line in lines if is_table_row(line)], text
    flat = "".join(text.split())
    assert all("".join(p.split()) in flat for p in docs.PARAGRAPHS[:4]), text
    assert all(label in ["".join(line.split()) for line in lines] for label in sidebar), text


def test_label_value_pairs_beside_a_framed_table_read_as_pairs(tmp_path):
    # A research report's data box: a frame round a ruled table of figures, and beside it `label：  value` pairs
    # under rules without sides. Before, the labels ran together into one paragraph, the values into others
    # (`…每股净资产(元)：312.50 280.10 9,876.54`), and the last value became every table row's title.
    from index.readers.tables import is_table_row, parse_table_row

    pdf = docs.make_side_data_pdf(
        tmp_path / "点评.pdf",
        "股票数据",
        [("总股本(百万股)：", "312.50"), ("流通股(百万股)：", "280.10"), ("总市值(百万元)：", "9,876.54")],
        ["2022", "2023", "2024E"],
        [["营业收入(百万元)", "1,234", "1,456", "1,678"], ["净利润(百万元)", "120", "150", "180"]],
    )
    lines = _lines(read_report(pdf))
    assert "总市值(百万元): 9,876.54" in lines and "总股本(百万股): 312.50" in lines, lines
    assert is_table_row("总市值(百万元): 9,876.54")
    assert parse_table_row("总市值(百万元): 9,876.54").cells == (("总市值(百万元)", "9,876.54"),)
    assert not is_table_row("注意: 本报告仅供参考，不构成建议。")  # prose with a colon is no pair
    rows = [line for line in lines if "营业收入" in line]
    assert rows and rows[0].endswith("营业收入(百万元) · 2022: 1,234 · 2023: 1,456 · 2024E: 1,678"), lines
    assert "9,876.54 ·" not in " ".join(lines)


def test_a_label_names_its_value_in_a_two_column_table():
    from index.passage import Passage
    from qa.table_cell import read_cell

    passage = Passage("p1", "点评.pdf", "", None, None, 0, "paragraph", "总市值(百万元): 9,876.54")
    cell = read_cell("总市值是多少？", [passage])
    assert cell is not None and cell.text == "9,876.54"
    assert read_cell("总资产是多少？", [passage]) is None


def test_pdf_table_with_merged_cells_keeps_each_value_under_its_head(tmp_path):
    # As Word exports an annual report's table: heads in cells cut in three, values in cells merged over the
    # three, a row head wrapped onto a second line inside its row, and a second block of rows under heads of
    # its own. Before, every value came out under `第2列`, the wrapped head as a row of its own.
    pdf = docs.make_merged_table_pdf(
        tmp_path / "merged.pdf",
        "表1 永安市总工会主要数据",
        ["2023年", "2022年", "增减"],
        [
            ["会员人数（人）", "12,345", "11,800", "4.62%"],
            ["职工服务中心年度接待人次（人次）", "8,210", "7,905", "3.86%"],
            ["工会经费收入（万元）", "1,520.30", "1,410.10", "7.81%"],
        ],
        later_heads=["2023年末", "2022年末", "增减"],
        later_rows=[["基层工会（个）", "356", "340", "4.71%"]],
        wrapped=1,
    )
    lines = _lines(read_report(pdf))
    title = "表1 永安市总工会主要数据"
    assert lines[1:] == [
        f"{title} · 会员人数（人） · 2023年: 12,345 · 2022年: 11,800 · 增减: 4.62%",
        f"{title} · 职工服务中心年度接待人次（人次） · 2023年: 8,210 · 2022年: 7,905 · 增减: 3.86%",
        f"{title} · 工会经费收入（万元） · 2023年: 1,520.30 · 2022年: 1,410.10 · 增减: 7.81%",
        f"{title} · 基层工会（个） · 2023年末: 356 · 2022年末: 340 · 增减: 4.71%",
    ]
