"""PDF tables without drawn cell borders (a three-line statistics table): read as rows that keep their heads, and a
cell answers its question through the real Assistant; running text in two columns is never read as a table."""

from __future__ import annotations

from index.build import build_index
from index.readers.read import read_report
from index.readers.tables import is_table_row
from tests import documents as docs
from tests.sample_reports import REPORT_A

TITLE = "永安市总工会2022年工作报告"
CAPTION = "永安市各乡镇（街道）工会组建情况"
# Real towns of 永安市, invented figures.
TABLE = (
    ("乡镇（街道）", "基层工会数", "会员人数", "组建率"),
    ("西洋镇", "52家", "4380人", "91.6%"),
    ("安砂镇", "37家", "2915人", "87.2%"),
    ("槐南镇", "29家", "1846人", "84.5%"),
    ("洪田镇", "41家", "3307人", "89.9%"),
)
ROWS = [
    f"{CAPTION} · {town} · 基层工会数: {unions} · 会员人数: {members} · 组建率: {rate}"
    for town, unions, members, rate in TABLE[1:]
]
BODY = [
    "2022年，永安市总工会团结带领全市职工建功新时代，基层工会组建工作取得新进展，全市新建基层工会126家。",
    "各乡镇（街道）总工会把新就业形态劳动者入会作为重点，开展集中入会活动18场次，新发展会员3260人。",
    "下一步，永安市总工会将推进新就业形态劳动者入会，力争年内新发展会员3200人。",
    "全市职工书屋达到64家，其中省级示范职工书屋5家，全年开展职工读书活动40场次。",
]


def _report(path):
    return docs.make_pdf(
        path, title=TITLE, paragraphs=BODY, table=TABLE, table_title=CAPTION, rules="three-line"
    )


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_a_borderless_table_reads_as_whole_rows_with_its_caption_and_heads(tmp_path):
    import pdfplumber

    pdf = _report(tmp_path / "永安.pdf")
    with pdfplumber.open(pdf) as opened:
        assert not opened.pages[0].find_tables(), "no cell borders: the ruled-table finder sees no table"
    lines = _lines(read_report(pdf))
    assert lines == [f"# {TITLE}", *BODY[:2], CAPTION, *ROWS, *BODY[2:]]
    assert all(is_table_row(row) for row in ROWS)


def test_running_text_in_two_columns_is_not_read_as_a_table(tmp_path):
    # Two columns of short lines full of figures, side by side like a table's: still paragraphs.
    title, paragraphs = docs.long_report(place="南平市延平区", pages=3, seed=8)
    for gutter in (24.0, 11.0):
        pdf = docs.make_pdf(
            tmp_path / f"two{gutter}.pdf",
            title=title,
            paragraphs=paragraphs,
            columns=2,
            gutter=gutter,
            split=True,
        )
        lines = _lines(read_report(pdf))
        assert not [line for line in lines if is_table_row(line)], gutter
        assert lines == [f"# {title}", *paragraphs], gutter


def test_a_cell_of_a_borderless_table_answers_its_question_and_cites_the_row(tmp_path, embedder):
    from qa import Assistant

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    _report(seeds / "永安.pdf")
    build_index(seeds, tmp_path / "idx", embedder=embedder, quiet=True)
    answer = Assistant.load(tmp_path / "idx", embedder=embedder).ask("永安市槐南镇的工会组建率是多少", k=3)
    assert answer.answer == "84.5%", answer
    cited = answer.citations[0]
    assert cited.source == "永安.pdf" and ROWS[2] in cited.text, cited


LEFT = (
    ("永安市主要指标", "2021年", "2022年"),
    ("职工人数", "8.6万人", "9.1万人"),
    ("工会会员", "7.9万人", "8.4万人"),
    ("基层工会", "612家", "655家"),
)
RIGHT = (
    ("三明市主要指标", "2021年", "2022年"),
    ("职工人数", "41.2万人", "43.0万人"),
    ("工会会员", "37.5万人", "39.8万人"),
    ("基层工会", "3021家", "3187家"),
)


def _side_by_side(path):
    """Two borderless tables side by side under the same year heads, as research reports print their statements."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    docs._styles()  # registers the Chinese CID font
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    pdf.setFont(docs._CID_FONT, 18)
    pdf.drawCentredString(width / 2, height - 80, TITLE)
    pdf.setFont(docs._CID_FONT, 11)
    pdf.drawString(56, height - 120, BODY[0][:40])
    pdf.setFont(docs._CID_FONT, 10.5)
    for left, x in ((LEFT, 56), (RIGHT, 310)):
        for r, row in enumerate(left):
            y = height - 160 - 18 * r
            pdf.drawString(x, y, row[0])
            for c, cell in enumerate(row[1:]):
                pdf.drawRightString(x + 150 + 70 * c, y, cell)
    pdf.showPage()
    pdf.save()
    return path


def test_tables_side_by_side_under_the_same_heads_are_read_one_after_the_other(tmp_path):
    lines = _lines(read_report(_side_by_side(tmp_path / "指标.pdf")))
    expected = [
        f"{table[0][0]} · {head} · 2021年: {a} · 2022年: {b}"
        for table in (LEFT, RIGHT)
        for head, a, b in table[1:]
    ]
    assert [line for line in lines if is_table_row(line)] == expected, lines


def test_a_borderless_table_going_on_over_the_page_keeps_its_caption_and_heads(tmp_path):
    # A long table split by the page end, its header row not repeated on the next page (as Word prints it).
    towns = (
        "燕西街道",
        "燕南街道",
        "西洋镇",
        "安砂镇",
        "小陶镇",
        "贡川镇",
        "洪田镇",
        "槐南镇",
        "大湖镇",
        "罗坊乡",
    )
    table = [TABLE[0]] + [
        (
            f"{town}{n}片区",
            f"{10 + (7 * i) % 80}家",
            f"{500 + (131 * i) % 4000}人",
            f"{70 + (i * 37) % 290 / 10:.1f}%",
        )
        for i, (n, town) in enumerate((n, town) for n in range(1, 7) for town in towns)
    ]
    pdf = docs.make_pdf(
        tmp_path / "long.pdf",
        title=TITLE,
        paragraphs=BODY * 2,
        table=table,
        table_title=CAPTION,
        rules="three-line",
        split=True,
    )
    rows = [line for line in _lines(read_report(pdf)) if is_table_row(line)]
    assert rows == [
        f"{CAPTION} · {town} · 基层工会数: {unions} · 会员人数: {members} · 组建率: {rate}"
        for town, unions, members, rate in table[1:]
    ]
