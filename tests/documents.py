"""Real report files made by real tools (python-docx, reportlab, plain HTML) for the reader tests and comparison.

The reports are invented (real place names, made-up figures), so no test leans on the five seed reports.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Sequence
from pathlib import Path

TITLE = "宁德市总工会2021年工作报告"
PARAGRAPHS: tuple[str, ...] = (
    "2021年，宁德市总工会在市委和省总工会的坚强领导下，团结带领全市职工建功新时代，各项工作取得新成效。",
    "全市新建职工书屋136个，其中全国示范职工书屋4个，职工书屋累计借阅图书达到28.6万册次，"
    "覆盖一线职工9.3万人。",
    "宁德市总工会开展“金秋助学”活动，资助困难职工子女712名，发放助学金213万元；"
    "为困难职工建立档案3841户，全年发放帮扶资金1460万元。",
    "在产业工人队伍建设改革中，全市组织劳动竞赛418场次，参加职工11.2万人次，"
    "评选宁德市五一劳动奖章获得者64名，一线职工占比达到76%。",
    "下一步，宁德市总工会将深化工会改革，推进新就业形态劳动者入会，力争年内新发展会员2.1万人。",
)
TABLE: tuple[tuple[str, ...], ...] = (("项目", "数量"), ("职工书屋", "136个"), ("户外劳动者驿站", "52个"))
# Text around the article on the web page, which a reader must leave out.
NAV = ("首页", "工会要闻", "基层动态", "维权服务", "劳模风采", "网上工会", "联系我们")
RELATED = (
    "福州市总工会召开十七届三次全委会议",
    "泉州市举办第五届职工技能大赛",
    "厦门市总工会慰问一线环卫工人",
    "莆田市总工会启动职工疗休养活动",
)
FOOTER = "版权所有：宁德市总工会 闽ICP备12345678号 技术支持：某某网络公司 地址：宁德市蕉城区某某路1号"

_FIGURE = re.compile(r"\d[\d.,%]*")
_CID_FONT = "STSong-Light"  # an Adobe CID font reportlab ships: Chinese PDFs without any font file


def make_docx(
    path: Path,
    *,
    title: str = TITLE,
    paragraphs: Sequence[str] = PARAGRAPHS,
    table: Sequence[Sequence[str]] | None = TABLE,
    heading: str | None = "一、主要工作",
) -> Path:
    """A Word file written by python-docx: a Title, a Heading 1, body paragraphs and a table in the middle."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    if heading:
        document.add_heading(heading, level=1)
    half = len(paragraphs) // 2
    for text in paragraphs[:half]:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    for text in paragraphs[half:]:
        document.add_paragraph(text)
    document.save(str(path))
    return Path(path)


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_numbered_docx(path: Path, items: Sequence[tuple[str, str | None, int]]) -> Path:
    """A Word file whose paragraphs carry Word's automatic numbering (the numbers are not in their text).

    items: (text, list, level); list is None (not numbered), "section" (1, 1.1), "appendix" (附录A) or
    "chinese" (（一）); a section paragraph at level 0 is a Heading 1, at level 1 a Heading 2.
    """
    import docx
    from docx.oxml import parse_xml

    lists = {
        "section": [("decimal", "%1"), ("decimal", "%1.%2")],
        "appendix": [("upperLetter", "附录%1")],
        "chinese": [("chineseCounting", "（%1）")],
    }
    document = docx.Document()
    numbering = document.part.numbering_part.element
    ids = {}
    for n, (name, levels) in enumerate(lists.items(), start=90):
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        numbering.insert(
            0, parse_xml(f'<w:abstractNum xmlns:w="{_W_NS}" w:abstractNumId="{n}">{lvls}</w:abstractNum>')
        )
        numbering.append(
            parse_xml(f'<w:num xmlns:w="{_W_NS}" w:numId="{n}"><w:abstractNumId w:val="{n}"/></w:num>')
        )
        ids[name] = n
    for text, name, level in items:
        if name == "section" or name == "appendix":
            paragraph = document.add_heading(text, level=level + 1)
        else:
            paragraph = document.add_paragraph(text)
        if name:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr xmlns:w="{_W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{ids[name]}"/></w:numPr>'
                )
            )
    document.save(str(path))
    return Path(path)


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_CID_FONT))
    body = ParagraphStyle(
        "body", fontName=_CID_FONT, fontSize=11, leading=16, wordWrap="CJK", firstLineIndent=22
    )
    title = ParagraphStyle("title", fontName=_CID_FONT, fontSize=18, leading=24, alignment=1)
    return title, body


def make_pdf(
    path: Path,
    *,
    title: str = TITLE,
    paragraphs: Sequence[str] = PARAGRAPHS,
    columns: int = 1,
    reverse_stream: bool = False,
    page_numbers: bool = True,
    figure_font: str | None = None,
    contents: Sequence[str] = (),
    table: Sequence[Sequence[str]] | None = None,
    table_title: str = "",
    leader: bool = True,
    contents_page: bool = True,
    header: str | Sequence[str] = "",
    split: bool = False,
    gutter: float = 24.0,
    rules: str = "grid",
) -> Path:
    """A text PDF made by reportlab: a centred title, then paragraphs in one or two columns, page numbers below.

    reverse_stream draws each page's blocks in reverse order into the file, as many layout programs do,
    so a reader that follows the file's order instead of the page's geometry reads the page backwards.
    figure_font sets the figures in that Latin font a point lower than the Chinese, as Word and WPS export
    them. contents: headings listed first on a table-of-contents page, with dot leaders and page numbers
    (leader=False: the page numbers at the right margin, nothing typed between; contents_page=False: the
    body follows on the same page). header: a running header atop every page (several: page 1 takes the
    first, page 2 the second, and round again, as Word's odd and even page headers do); split: paragraphs run on
    from one column or page to the next, cut mid-sentence, instead of moving whole to the next. gutter:
    the space between columns in points (a newspaper's is about one character).
    table: a ruled table after the first half of the paragraphs, under the caption table_title; rules="three-line":
    drawn as statistics tables often are, with a rule above and below the header and below the last row and
    no vertical rules (no cell boxes: pdfplumber's table finder sees no table).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph

    title_style, body_style = _styles()
    width, height = A4
    margin, gap = 56.0, 8.0
    column_width = (width - 2 * margin - gutter * (columns - 1)) / columns
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)  # invariant: the same bytes on every run
    pages: list[list[tuple[Paragraph, float, float]]] = [[]]
    top = height - margin
    heading = Paragraph(title, title_style)
    _, h = heading.wrap(width - 2 * margin, height)
    pages[-1].append((heading, margin, top - h))
    top -= h + 2 * gap
    column, y = 0, top
    if contents:
        pdf.setFont(_CID_FONT, 14)
        pdf.drawCentredString(width / 2, top - 10, "目  录")
        for n, entry in enumerate(contents, 2):
            pdf.setFont(_CID_FONT, 11)
            if leader:
                pdf.drawString(margin, top - 40 - 20 * n, f"{entry}{'.' * 40}{n}")
            else:  # Word's tab leader is drawn, not typed: the title, then its page number at the right margin
                pdf.drawString(margin, top - 40 - 20 * n, entry)
                pdf.drawRightString(width - margin, top - 40 - 20 * n, str(n))
        if not contents_page:
            top -= 60 + 20 * (len(contents) + 2)
            column, y = 0, top
        else:
            pages.append([])
            top = height - margin
            column, y = 0, top
    flowables: list = []
    for n, text in enumerate(paragraphs):
        if table and n == len(paragraphs) // 2:
            flowables += _table_flowables(table, table_title, body_style, rules)
        if figure_font:
            text = _FIGURE.sub(
                lambda m: f'<font name="{figure_font}"><sub rise="1.5" size="11">{m.group()}</sub></font>',
                text,
            )
        flowables.append(Paragraph(text, body_style))
    queue = list(flowables)
    while queue:
        para = queue.pop(0)
        _, h = para.wrap(column_width, height)
        if y - h < margin + 20:
            parts = para.split(column_width, y - margin - 20) if split else []
            if len(parts) == 2:  # the paragraph's first lines end this column, mid-sentence
                queue[:0] = parts
                continue
            column += 1
            if column == columns:
                pages.append([])
                column, top = 0, height - margin
            y = top
            _, h = para.wrap(column_width, height)  # a refused split leaves the paragraph unwrapped
        pages[-1].append((para, margin + column * (column_width + gutter), y - h))
        y -= h + gap
    for number, blocks in enumerate(pages, 1):
        for para, x, y in reversed(blocks) if reverse_stream else blocks:
            para.drawOn(pdf, x, y)
        if page_numbers:
            pdf.setFont(_CID_FONT, 9)
            pdf.drawCentredString(width / 2, margin / 2, f"- {number} -")
        headers = [header] if isinstance(header, str) else list(header)
        if headers and headers[(number - 1) % len(headers)]:
            pdf.setFont(_CID_FONT, 9)
            pdf.drawCentredString(width / 2, height - margin / 2, headers[(number - 1) % len(headers)])
        pdf.showPage()
    pdf.save()
    return Path(path)


def _table_flowables(table: Sequence[Sequence[str]], title: str, body_style, rules: str = "grid") -> list:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    grid = Table([list(row) for row in table])
    if rules == "grid":
        lines = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
    else:  # a three-line table: row labels left, figures right, no vertical rules
        lines = [
            ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ]
    grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), _CID_FONT, 10.5), *lines]))
    out: list = []
    if title:
        out.append(
            Paragraph(title, ParagraphStyle("caption", parent=body_style, firstLineIndent=0, alignment=1))
        )
    return [*out, grid]


def make_scanned_pdf(path: Path, pages: int = 2, *, text_cover: bool = False) -> Path:
    """A PDF of page images only, as a scanner makes: no text layer at all.

    text_cover: a typed cover page (title and a paragraph) before the scanned pages.
    """
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if text_cover:
        title_style, body_style = _styles()
        from reportlab.platypus import Paragraph

        for text, style, y in ((TITLE, title_style, height - 120), (PARAGRAPHS[0], body_style, height - 220)):
            para = Paragraph(text, style)
            para.wrap(width - 112, height)
            para.drawOn(pdf, 56, y)
        pdf.showPage()
    for page in range(pages):
        image = Image.new("L", (595, 842), 255)
        draw = ImageDraw.Draw(image)
        for line in range(30):  # grey bars where a scan would have lines of print
            y = 80 + line * 24
            draw.rectangle((60, y, 535 - (line * 37 + page * 11) % 120, y + 12), fill=90)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        buffer.seek(0)
        pdf.drawImage(ImageReader(buffer), 0, 0, width, height)
        pdf.showPage()
    pdf.save()
    return Path(path)


def html_page(
    *,
    title: str = TITLE,
    paragraphs: Sequence[str] = PARAGRAPHS,
    charset: str = "utf-8",
    heading: str | None = None,
) -> str:
    """A news page as union web sites publish them: menu, breadcrumbs, the article, related links, footer.

    heading: an <h2> put before the article's third paragraph.
    """
    nav = "".join(f'<li><a href="/{i}.html">{name}</a></li>' for i, name in enumerate(NAV))
    related = "".join(f'<li><a href="/news/{i}.html">{t}</a></li>' for i, t in enumerate(RELATED))
    body = "".join(
        (f"<h2>{heading}</h2>" if heading and i == 2 else "") + f"<p>{text}</p>"
        for i, text in enumerate(paragraphs)
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}_宁德市总工会网站</title>
<style>body {{ font-family: sans-serif; }} .nav li {{ display: inline; }}</style>
<script>var _hmt = _hmt || []; window.onload = function () {{ console.log("统计代码"); }};</script>
</head><body>
<div class="header"><div class="logo">宁德市总工会</div><ul class="nav">{nav}</ul>
<form class="search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/news">工会要闻</a> &gt; 正文</div>
<div class="main"><div class="article">
<h1>{title}</h1>
<div class="info">发布时间：2022-01-18 来源：宁德市总工会 浏览次数：1024</div>
<div class="content">{body}</div>
<div class="share">分享到：微信 微博 QQ空间</div>
</div>
<div class="sidebar"><h3>相关新闻</h3><ul>{related}</ul></div></div>
<div class="footer"><p>{FOOTER}</p></div>
</body></html>
"""


def make_html(path: Path, *, charset: str = "utf-8", **kwargs) -> Path:
    """html_page() written to a file in the declared charset."""
    Path(path).write_bytes(html_page(charset=charset, **kwargs).encode(charset))
    return Path(path)


_TOPICS = (
    ("职工书屋", "个"),
    ("户外劳动者驿站", "个"),
    ("劳动竞赛", "场次"),
    ("技能培训", "期"),
    ("困难职工档案", "户"),
    ("法律援助案件", "件"),
    ("集体合同", "份"),
    ("职工代表大会", "家"),
)
_CLAUSES = (
    "各级工会围绕中心、服务大局，推动{topic}工作提质增效",
    "{place}总工会全年新增{topic}{n}{unit}",
    "累计投入资金{m}万元，惠及职工{k}万人次",
    "同比增长{p}%，工作成效得到省总工会肯定",
    "基层工会按照“建、管、用”并重的要求，持续完善{topic}服务体系",
)


def long_report(place: str = "宁德市", pages: int = 10, seed: int = 7) -> tuple[str, list[str]]:
    """An invented report of about `pages` A4 pages (roughly 900 characters a page), the same for one seed."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < pages * 900:
        topic, unit = rng.choice(_TOPICS)
        clauses = rng.sample(_CLAUSES, 4)
        values = dict(
            topic=topic,
            unit=unit,
            place=place,
            n=rng.randint(12, 900),
            m=rng.randint(20, 3000),
            k=round(rng.uniform(0.5, 30), 1),
            p=round(rng.uniform(1, 40), 1),
        )
        paragraphs.append("，".join(c.format(**values) for c in clauses) + "。")
    return f"{place}总工会工作报告", paragraphs


def cut_report(pages: int, seed: int = 3, share: float = 0.4) -> tuple[str, list[str]]:
    """The report's text with `share` of its paragraphs cut in two, and the paragraphs that were cut."""
    rng = random.Random(seed)
    title, paragraphs = long_report(pages=pages, seed=seed)
    pieces, cut = [], []
    for paragraph in paragraphs:
        if rng.random() < share:
            at = rng.randint(12, len(paragraph) - 12)
            while paragraph[at - 1] in "。，、；" or paragraph[at] in "。，、；":
                at += 1
            pieces += [paragraph[:at], paragraph[at:]]
            cut.append(paragraph)
        else:
            pieces.append(paragraph)
    return f"# {title}\n\n" + "\n\n".join(pieces) + "\n", cut


def cjk_font_file() -> str | None:
    """A Chinese font file on this machine (fonts-wqy-microhei, which `make test` installs), or None."""
    import subprocess

    try:
        found = subprocess.run(
            ["fc-list", "-f", "%{file}\n", ":lang=zh-cn"], capture_output=True, text=True, timeout=10
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return min(found, default=None)  # the same one on every run


def page_image(paragraphs: Sequence[str], *, rotate: float = 0.7, blur: float = 0.6, jpeg: int = 0):
    """An A4 page at 200 dpi as a scanner or phone gives it: the paragraphs printed in a Chinese font at
    about 11 pt, turned `rotate` degrees, blurred, and through JPEG at quality `jpeg` when non-zero."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(cjk_font_file(), 32)
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    y, per_line = 200, 40
    for text in paragraphs:
        lines = [text[i : i + per_line] for i in range(0, len(text), per_line)]
        for n, line in enumerate(lines):
            draw.text((200 + (64 if n == 0 else 0), y), line, font=font, fill=0)
            y += 52
        y += 30
    image = image.rotate(rotate, fillcolor=255).filter(ImageFilter.GaussianBlur(blur))
    if jpeg:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=jpeg)
        image = Image.open(io.BytesIO(buffer.getvalue()))
    return image


def phone_photo(page, *, seed: int = 5):
    """A page as a phone photographs it on a desk: seen a little from below (keystone), turned 2°, lit
    unevenly, on a grey desk, slightly out of focus, with sensor noise, saved as a JPEG of quality 70."""
    import numpy as np
    from PIL import Image, ImageChops, ImageFilter

    width, height = page.size
    desk = Image.new("L", (width + 160, height + 160), 120)
    desk.paste(page.convert("L"), (80, 80))
    w, h = desk.size
    # PIL's PERSPECTIVE maps output to input: the top edge is shown narrower than the bottom.
    inset = 0.05 * w
    corners = [(-inset, 0), (w + inset, 0), (w, h), (0, h)]
    coeffs = _perspective(corners, [(0, 0), (w, 0), (w, h), (0, h)])
    photo = desk.transform(
        (w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC, fillcolor=120
    )
    photo = photo.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=120)
    ys, xs = np.mgrid[0:h, 0:w]
    light = Image.fromarray(
        (255 * (1 - 0.2 * xs / w - 0.2 * ys / h)).astype(np.uint8)
    )  # darker to one corner
    photo = ImageChops.multiply(photo, light).filter(ImageFilter.GaussianBlur(1.1))
    noise = Image.fromarray(np.random.default_rng(seed).integers(0, 25, (h, w), dtype=np.uint8))
    photo = ImageChops.subtract(ImageChops.add(photo, noise), Image.new("L", (w, h), 12))
    buffer = io.BytesIO()
    photo.convert("RGB").save(buffer, format="JPEG", quality=70)
    return Image.open(io.BytesIO(buffer.getvalue()))


def _perspective(source: Sequence[tuple[float, float]], target: Sequence[tuple[float, float]]) -> list[float]:
    """PIL's eight perspective coefficients that map each target corner to its source corner."""
    import numpy as np

    rows, values = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(values, float)).tolist()


def make_scanned_text_pdf(path: Path, pages: Sequence[Sequence[str]], *, typed_first: bool = False) -> Path:
    """A PDF of scanned pages that hold print (page_image), after a typed page when typed_first."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph

    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if typed_first:
        title_style, body_style = _styles()
        for text, style, y in ((TITLE, title_style, height - 120), (PARAGRAPHS[0], body_style, height - 220)):
            para = Paragraph(text, style)
            para.wrap(width - 112, height)
            para.drawOn(pdf, 56, y)
        pdf.showPage()
    for paragraphs in pages:
        buffer = io.BytesIO()
        page_image(paragraphs).save(buffer, format="PNG")
        buffer.seek(0)
        pdf.drawImage(ImageReader(buffer), 0, 0, width, height)
        pdf.showPage()
    pdf.save()
    return Path(path)


# A scanned report and a phone photo, each with one sentence only it holds (real places, invented figures).
SCAN_SENTENCE = "福鼎市总工会全年开办职工子女暑期托管班47个，服务职工子女3100人次。"
SCAN_QUESTION, SCAN_ANSWER = "福鼎开办职工子女暑期托管班多少个", "47个"
PHOTO_TITLE = "霞浦县总工会2023年工作报告"
PHOTO_PARAGRAPHS = (
    "2023年，霞浦县总工会团结带领全县职工建功新时代，各项工作取得新成效。",
    "霞浦县总工会在高温季节为一线职工送去清凉慰问金58万元，走访慰问企业126家。",
    "全县新建职工书屋19个，开展劳动竞赛42场次，参赛职工5600人次。",
)
PHOTO_QUESTION, PHOTO_ANSWER = "霞浦县送清凉慰问金多少", "58万元"


def scanned_report(path: Path, pages: int = 10, seed: int = 7) -> Path:
    """A scanned PDF of `pages` pages about 福鼎 (long_report's text for `seed`, printed, turned and blurred),
    with SCAN_SENTENCE on page 7; no text layer."""
    title, paragraphs = long_report(place="福鼎市", pages=pages, seed=seed)
    per_page = -(-len(paragraphs) // pages)
    printed = [[f"{title}", *paragraphs[:per_page]]]
    printed += [list(paragraphs[i : i + per_page]) for i in range(per_page, len(paragraphs), per_page)]
    printed[min(6, len(printed) - 1)].insert(1, SCAN_SENTENCE)
    return make_scanned_text_pdf(path, printed)


def photo_of_a_page(path: Path, seed: int = 5) -> Path:
    """A phone photo (phone_photo, its noise drawn with `seed`) of one printed page about 霞浦: its title, then
    PHOTO_PARAGRAPHS."""
    phone_photo(page_image([PHOTO_TITLE, *PHOTO_PARAGRAPHS], rotate=0, blur=0), seed=seed).save(path)
    return Path(path)


def make_layout_table_pdf(path: Path, sidebar: Sequence[str], body: Sequence[str]) -> Path:
    """A page Word lays out with a ruled table: a narrow sidebar cell (rating, analyst, contacts) beside a wide
    cell holding the body's paragraphs, in two rows (the first two sidebar lines and body paragraphs, the rest)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    _, body_style = _styles()
    half_side, half_body = len(sidebar) // 2, len(body) // 2
    cells = [
        [[Paragraph(t, body_style) for t in side], [Paragraph(t, body_style) for t in text]]
        for side, text in ((sidebar[:half_side], body[:half_body]), (sidebar[half_side:], body[half_body:]))
    ]
    layout = Table(cells, colWidths=[120, 360])
    layout.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([layout])
    return Path(path)


def make_merged_table_pdf(
    path: Path,
    caption: str,
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    later_heads: Sequence[str] = (),
    later_rows: Sequence[Sequence[str]] = (),
    wrapped: int | None = None,
) -> Path:
    """A ruled table as Word exports an annual report's: each head in a cell cut in three by rules (`''`,
    `2023年`, `''`), each value in one cell merged over the three; `later_heads` starts a second block of rows
    under heads of their own (a row without a row head). wrapped: that row's head is cut at its middle onto a
    second line inside the row (two table rows, the values merged over both)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    _, body_style = _styles()
    width = 1 + 3 * len(heads)
    cells = [["", *(c for head in heads for c in ("", head, ""))]]
    spans = []

    def add(row: Sequence[str], head_cut: bool) -> None:
        values = [c for v in row[1:] for c in (v, "", "")]
        first = len(cells)
        if head_cut:
            half = len(row[0]) // 2
            cells.append([row[0][:half], *values])
            cells.append([row[0][half:]] + [""] * (width - 1))
        else:
            cells.append([row[0], *values])
        last = len(cells) - 1  # each value's cell is merged over its three columns and the row's lines
        spans.extend(("SPAN", (1 + 3 * k, first), (3 + 3 * k, last)) for k in range(len(heads)))

    for n, row in enumerate(rows):
        add(row, n == wrapped)
    if later_heads:
        add(["", *later_heads], False)
        for row in later_rows:
            add(row, False)
    table = Table(cells, colWidths=[150] + [36] * (width - 1))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), _CID_FONT, 10),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *spans,
            ]
        )
    )
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([Paragraph(caption, body_style), table])
    return Path(path)


def make_lines_pdf(path: Path, pages: Sequence[Sequence[str]], *, per_line: int = 36) -> Path:
    """A PDF whose pages hold the given paragraphs, each cut into lines of `per_line` characters (the first
    indented two characters, unless the text begins with `+`: a paragraph going on from the last page) and
    drawn at fixed places, as a word processor without widow control breaks pages: a paragraph may end a page
    with its first line alone."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _styles()  # registers the font
    width, height = A4
    size, left = 11.0, 56.0
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number, paragraphs in enumerate(pages, 1):
        y = height - 72
        pdf.setFont(_CID_FONT, size)
        for text in paragraphs:
            if text.startswith("+"):
                lines = [("", text[1:][i : i + per_line]) for i in range(0, len(text) - 1, per_line)]
            else:
                first, rest = text[: per_line - 2], text[per_line - 2 :]
                lines = [("  ", first)] + [
                    ("", rest[i : i + per_line]) for i in range(0, len(rest), per_line)
                ]
            for indent, line in lines:
                pdf.drawString(left + (2 * size if indent else 0), y, line)
                y -= 16
        pdf.setFont(_CID_FONT, 9)
        pdf.drawCentredString(width / 2, 28, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return Path(path)


def make_side_data_pdf(
    path: Path,
    caption: str,
    pairs: Sequence[tuple[str, str]],
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> Path:
    """A research report's data box as Word draws it: `caption` in a ruled box at the top left, beside it a frame
    round a ruled table of figures (`heads` over `rows`) that shares its right edge, and under the caption
    `label：  value` pairs under rules without sides, which meet the frame (they make no cells)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _styles()  # registers the font
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _, height = A4
    top, step = height - 60, 16
    bottom = top - step * (max(len(pairs), len(rows) + 1) + 2)
    page.setLineWidth(0.5)
    page.setFont(_CID_FONT, 9)
    page.rect(40, top - step, 185, step)  # the caption's box
    page.drawString(44, top - step + 5, caption)
    page.rect(225, bottom, 330, top - bottom)  # the frame, taken for one cell round the table's cells
    for n, (label, value) in enumerate(pairs):
        y = top - step * (n + 2) + 5
        page.line(40, y - 5, 225, y - 5)
        page.drawString(44, y, label)
        page.drawRightString(220, y, value)
    xs = [232 + k * (323 / (len(heads) + 1)) for k in range(len(heads) + 2)]
    ys = [top - step * (k + 1) for k in range(len(rows) + 2)]
    for x in xs:
        page.line(x, ys[0], x, ys[-1])
    for y in ys:
        page.line(xs[0], y, xs[-1], y)
    for k, row in enumerate([["", *heads], *rows]):
        for c, text in enumerate(row):
            page.drawString(xs[c] + 3, ys[k] - step + 5, text)
    page.showPage()
    page.save()
    return Path(path)
