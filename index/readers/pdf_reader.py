"""PDF with a text layer: lines by position (pdfplumber), columns found on each page, read in page order.

Ruled tables (pdfplumber's table finder) and tables without rules (index/readers/borderless.py) come out as
rows that keep their headers (index/readers/tables.py).

The file's drawing order is not trusted (layout programs often write a page's blocks in any order); the
page's geometry is. Each page: running headers and page numbers dropped, full-width lines split the page
into bands, each band's columns read left to right, lines grouped into paragraphs by indent and spacing.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

from ..errors import ReportReadError
from ..progress import step
from .borderless import borderless_tables, looks_like_header
from .charts import axis_lines, drawing_boxes
from .extra import need
from .lines import Line, Para, join_lines, mark_headings, render, spaced
from .ocr import note_pages, ocr_image, render_pdf_page
from .tables import is_table_row, table_lines

_PAGE_NUMBER = re.compile(
    r"^[-—–·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4})?[-—–·\s]*$|^[-—–\s]*[ivxlc]{1,6}[-—–\s]*$",
    re.I,
)
# A table-of-contents entry: a title, a leader of dots and its page number (`一、总体要求……………3`).
_TOC_LINE = re.compile(r"\S\s*(?:[.…·．・]\s*){4,}\s*\d{1,4}\s*$")
_TOC_HEADING = re.compile(r"^\s*目\s*录\s*$")
_TERMINALS = "。！？!?；;…”’」』)）"
_HANGING = "，。、；：！？”’"
MARGIN_BAND = 0.1  # page numbers and running headers sit in the top or bottom tenth of a page
HEADING_RATIO = 1.2  # a line in a font 20% larger than the body's is a heading
_SENTENCE_END = ("。", "！", "？", "；", "!", "?", ";")
HEADING_MAX_LINES = (
    2  # a heading is a line or two; the research report's 3- to 12-line paragraphs were read as headings
)
MIN_TEXT_CHARS = 20  # fewer characters than this in the whole file: there is no usable text layer


def page_lines(page, exclude: list[tuple[float, float, float, float]] = ()) -> list[Line]:
    """A pdfplumber page's text lines: words whose boxes overlap vertically and sit close together.

    Rows come from vertical overlap, not equal baselines: Word and WPS set figures in a Latin font whose
    box sits a point or two lower than the Chinese around it, and a baseline rule cuts them off.
    """
    words = page.extract_words(
        keep_blank_chars=True, use_text_flow=False, x_tolerance=1.5, y_tolerance=2, extra_attrs=["size"]
    )
    words = [w for w in words if not any(_inside(w, box) for box in exclude)]
    # Columns a character or so apart (newspapers) would join into one line at the word gap below: the
    # gutters come from the word boxes first, and no line is joined across one.
    gutters = _word_gutters(words)
    # Rows are found within each column: a sidebar's line half a line above the body's would otherwise pull the
    # body's words into its row, and a figure in a lower-set Latin font lands in a row of its own.
    bands: dict[int, list[dict]] = {}
    for w in words:
        bands.setdefault(sum(1 for a, _ in gutters if w["x0"] >= a), []).append(w)
    rows: list[list[dict]] = []
    for band in bands.values():
        rows.extend(_rows(band))
    rows.sort(key=lambda row: (min(w["top"] for w in row), min(w["x0"] for w in row)))
    lines: list[Line] = []
    for row in rows:
        start = len(lines)
        for w in sorted(row, key=lambda w: w["x0"]):
            size = float(w["size"])
            last = lines[-1] if len(lines) > start else None
            across = any(last.x1 <= b and w["x0"] >= a for a, b in gutters) if last is not None else False
            if last is not None and -0.3 * size <= w["x0"] - last.x1 < 1.2 * size and not across:
                # Justified Chinese spreads its characters; only Latin words get a space back.
                gap = w["x0"] - last.x1 > 0.25 * size and spaced(last.text[-1], w["text"][0])
                lines[-1] = Line(
                    last.x0,
                    min(last.top, w["top"]),
                    w["x1"],
                    max(last.bottom, w["bottom"]),
                    last.text + (" " if gap else "") + w["text"],
                    max(last.size, size),
                    last.parts + ((w["x0"], w["x1"], w["text"]),),
                )
            else:
                part = ((w["x0"], w["x1"], w["text"]),)
                lines.append(Line(w["x0"], w["top"], w["x1"], w["bottom"], w["text"], size, part))
    contents = _contents_rows(lines)
    kept = [
        line
        for i, line in enumerate(lines)
        if line.text.strip() and i not in contents and not _TOC_LINE.search(line.text)
    ]
    if len(kept) < len([line for line in lines if line.text.strip()]):
        kept = [line for line in kept if not _TOC_HEADING.match(line.text)]
    return kept


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words whose boxes overlap vertically by half a line, as rows from the top."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = max(w["bottom"] - w["top"], 0.1)
        # Only the last few rows can overlap a word this far down the page.
        for row in reversed(rows[-4:]):
            top = statistics.median(r["top"] for r in row)
            bottom = statistics.median(r["bottom"] for r in row)
            overlap = min(bottom, w["bottom"]) - max(top, w["top"])
            if overlap >= 0.5 * min(height, bottom - top):
                row.append(w)
                break
        else:
            rows.append([w])
    return rows


def _word_gutters(words: list[dict]) -> list[tuple[float, float]]:
    """The gaps between columns, from the page's word boxes (see _gutters)."""
    if len(words) < 4:
        return []
    size = statistics.median(float(w["size"]) for w in words)
    # CJK typesetting hangs a line's closing mark (，。) into the margin: it does not narrow the gutter.
    boxes = [
        Line(
            w["x0"],
            w["top"],
            w["x1"] - (size if w["text"][-1] in _HANGING else 0),
            w["bottom"],
            w["text"],
            size,
        )
        for w in words
    ]
    return _gutters(boxes, min(b.x0 for b in boxes), max(b.x1 for b in boxes), size)


def _contents_rows(lines: list[Line]) -> set[int]:
    """The lines of a table of contents under a 目录 heading whose page numbers stand apart, with no dot
    leader (Word draws its tab leader, or none): rows of a title and a page number, down to the first row
    that is not one (the body, which would otherwise be glued to them)."""
    heading = next((line for line in lines if _TOC_HEADING.match(line.text)), None)
    if heading is None:
        return set()
    rows: list[list[int]] = []
    for i in sorted(range(len(lines)), key=lambda i: (lines[i].top, lines[i].x0)):
        line = lines[i]
        if line.top < heading.bottom or not line.text.strip():
            continue
        last = lines[rows[-1][0]] if rows else None
        if last is not None and min(last.bottom, line.bottom) - max(last.top, line.top) > 0.5 * line.size:
            rows[-1].append(i)
        else:
            rows.append([i])
    out: set[int] = set()
    for row in rows:
        texts = [lines[i].text.strip() for i in sorted(row, key=lambda i: lines[i].x0)]
        if len(texts) >= 2 and texts[-1].isdigit() and len(texts[-1]) <= 4:
            out.update(row)
        else:
            break
    return out


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


@dataclass(frozen=True)
class PageTable:
    """A ruled table pdfplumber's table finder found: its box and its cells' text, row by row."""

    x0: float
    top: float
    x1: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]
    title: str = ""  # said by the table itself (a borderless table cut from a wider one), after any caption
    continued: bool = False  # goes on from the last page: its title is the whole title, no caption sought
    cells: tuple[
        tuple[float, float, float, float], ...
    ] = ()  # the boxes its text is read from (ruled tables)


# A cell of running prose: at least this many characters and two sentence ends. Word lays pages out with
# tables (a sidebar beside the body); a real Word-exported research report (eval/READERS.md) had its whole body
# in one cell, read as 40 rows `增持（维持） · 第3列: …` and 253 of 417 paragraphs a number alone.
PROSE_CELL_CHARS = 100


def _layout_table(rows: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a ruled table lays out prose rather than holding data: its prose cells hold half its text."""
    cells = ["".join(cell.split()) for row in rows for cell in row]
    prose = sum(
        len(c) for c in cells if len(c) >= PROSE_CELL_CHARS and sum(c.count(t) for t in "。；！？") >= 2
    )
    return prose * 2 >= sum(len(c) for c in cells) > 0


def _ruled_grid(
    cells: list[list[str | None]], spans: list[tuple[float, float]]
) -> tuple[tuple[str, ...], ...]:
    """A ruled table's cells as text, row by row, with Word's merged cells put back together.

    pdfplumber cuts the grid wherever any rule runs, and marks the columns a merged cell covers with None. A real
    Word-exported annual report (eval/READERS.md) drew its heads in cells cut three ways (`'', '2023年', ''`)
    over values whose one cell spans the three (`'602,…', None, None`): every value lost its head (`第2列`).
    Columns merged in some row are one column when no row has two filled cells among them. A row that lies
    inside the row above with only its row head's cell, the rest covered by that row's merged cells (a row head
    wrapped to a second line, `…扣除非经常性损益` / `的净利润（元）`), is part of that row; other rows inside a
    tall row stay rows (a datasheet's temperature cell merged down over ten rows of currents, a rating table's
    `股票投资评级` merged down over 买入, 增持, 中性)."""
    head = min((next(c for c, cell in enumerate(row) if cell) for row in cells if any(row)), default=0)
    rows: list[list[str | None]] = []
    bounds: list[tuple[float, float]] = []
    for row, (top, bottom) in zip(cells, spans, strict=True):
        inside = rows and top >= bounds[-1][0] and bottom <= bounds[-1][1] + 0.5
        if inside and [c for c, cell in enumerate(row) if cell is not None] == [head]:
            rows[-1] = [(a or "") + (b or "") if (a or b) else a for a, b in zip(rows[-1], row, strict=False)]
            continue
        rows.append(list(row))
        bounds.append((top, bottom))
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    parent = list(range(width))  # columns one merged cell covers, joined

    def root(c: int) -> int:
        while parent[c] != c:
            c = parent[c]
        return c

    for row in rows:
        if sum(cell is not None for cell in row) < 2:
            continue  # a title row merged over the whole table says nothing about its columns
        for c in range(1, width):
            if row[c] is None:
                parent[root(c)] = root(c - 1)
    groups: dict[int, list[int]] = {}
    for c in range(width):
        groups.setdefault(root(c), []).append(c)
    kept: list[list[int]] = []
    for cols in groups.values():
        if len(cols) > 1 and any(sum(1 for c in cols if row[c]) > 1 for row in rows):
            kept.extend([c] for c in cols)  # two values side by side: the columns are real
        else:
            kept.append(cols)
    kept.sort()
    return tuple(tuple("".join(row[c] or "" for c in cols) for cols in kept) for row in rows)


def page_tables(page) -> list[PageTable]:
    """The page's ruled tables of at least two rows and two columns (a framed paragraph is not a table, nor a
    table that lays out prose: its text is read as lines)."""
    out = []
    for table in page.find_tables():
        spans = [(row.bbox[1], row.bbox[3]) for row in table.rows]
        texts = table.extract()
        rows = _ruled_grid(texts, spans)
        if len(rows) < 2 or max(len(row) for row in rows) < 2 or _layout_table(rows):
            continue
        boxes = [tuple(cell) for cell in table.cells]
        frames = {box for box in boxes if _frame(box, boxes)}
        if frames:
            texts = [
                [None if box in frames else text for text, box in zip(line, row.cells, strict=True)]
                for line, row in zip(texts, table.rows, strict=True)
            ]
            rows = _ruled_grid(texts, spans)
        out.append(PageTable(*table.bbox, rows, cells=tuple(b for b in boxes if b not in frames)))
    return out


def _frame(box: tuple[float, ...], boxes: list[tuple[float, ...]]) -> bool:
    """Whether a cell is a frame drawn round other cells of its table: its text is theirs, read again in one
    piece. A real Word-exported research report (eval/READERS.md) boxed its financial table in a rectangle
    pdfplumber took for one merged cell, and all eleven of its rows came out inside every row's head."""
    return any(
        other != box
        and box[0] <= other[0] + 0.5
        and box[1] <= other[1] + 0.5
        and other[2] <= box[2] + 0.5
        and other[3] <= box[3] + 0.5
        for other in boxes
    )


def _insert_tables(
    groups: list[list[Line]],
    start: int,
    tables: list[PageTable],
    size: float,
    running: set[str] = frozenset(),
) -> dict[PageTable, str]:
    """Put each table's rows (with their headers) into the page's paragraphs, above the first one below it;
    returns the title each table's rows carry.

    The line above a table is its caption unless it is another table's row (side-by-side tables) or a running
    header (`running`: a real thesis's header on every other page had become the title of 26 rows)."""
    made: set[str] = set()
    titles: dict[PageTable, str] = {}
    for table in sorted(tables, key=lambda t: t.top):
        at = next(
            (
                i
                for i in range(start, len(groups))
                if groups[i][0].top >= table.top and groups[i][0].x1 > table.x0 and groups[i][0].x0 < table.x1
            ),
            len(groups),
        )
        title = ""
        if at > start and len(groups[at - 1]) == 1 and not table.continued:
            caption = groups[at - 1][0].text.strip()
            table_row = is_table_row(caption) or caption in made or caption in running
            if caption and len(caption) <= 40 and caption[-1] not in _TERMINALS + "，,：:" and not table_row:
                title = caption
        title = " ".join(t for t in (title, table.title) if t)
        titles[table] = title
        rows = [
            [Line(table.x0, table.top, table.x1, table.bottom, line, size)]
            for line in table_lines(table.rows, title)
        ]
        made.update(line.text for row in rows for line in row)
        groups[at:at] = rows
    return titles


def _gutters(lines: list[Line], left: float, right: float, size: float) -> list[tuple[float, float]]:
    """Vertical strips inside the text area crossed by (almost) no line: the gaps between columns."""
    width = right - left
    if width <= 0 or len(lines) < 4:
        return []
    steps = int(width) + 1
    cover = [0] * steps
    for line in lines:
        for x in range(max(0, int(line.x0 - left)), min(steps, int(line.x1 - left) + 1)):
            cover[x] += 1
    limit = max(1, len(lines) // 20)  # a spanning title or two may cross a gutter
    gutters, start = [], None
    for x in range(steps):
        empty = cover[x] <= limit and width * 0.15 < x < width * 0.85
        if empty and start is None:
            start = x
        if not empty and start is not None:
            if x - start >= 0.6 * size:
                gutters.append((left + start, left + x))
            start = None
    return gutters


def _reading_order(lines: list[Line], size: float) -> list[list[Line]]:
    """The page's columns in reading order, each a list of lines top to bottom.

    Lines that cross a gutter (a title over two columns) cut the page into bands read top to bottom.
    """
    if not lines:
        return []
    left, right = min(line.x0 for line in lines), max(line.x1 for line in lines)
    gutters = _gutters(lines, left, right, size)
    if not gutters:
        return [sorted(lines, key=lambda line: (line.top, line.x0))]

    def spans(line: Line) -> bool:
        return any(line.x0 < a and line.x1 > b for a, b in gutters)

    def column(line: Line) -> int:
        return sum(1 for a, _ in gutters if line.x0 >= a)

    columns: list[list[Line]] = []
    band: dict[int, list[Line]] = {}
    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if spans(line):
            columns.extend(band[c] for c in sorted(band))
            band = {}
            columns.append([line])
        else:
            band.setdefault(column(line), []).append(line)
    columns.extend(band[c] for c in sorted(band))
    return columns


def _paragraphs(column: list[Line], size: float) -> list[list[Line]]:
    """A column's lines grouped into paragraphs: a new one after a wide gap, at an indent or a font change."""
    if not column:
        return []
    left = min(line.x0 for line in column)
    right = max(line.x1 for line in column)
    steps = [b.top - a.top for a, b in zip(column, column[1:], strict=False) if b.top > a.top]
    leading = statistics.median(steps) if steps else size * 1.5
    groups: list[list[Line]] = [[column[0]]]
    for prev, line in zip(column, column[1:], strict=False):
        new = (
            line.top - prev.top > 1.35 * leading
            # Three blank lines apart (a table or chart lay between them) is never one paragraph, however
            # few lines the column has to measure its leading from: a thesis's caption `表 4.2 …` took the
            # note under its table once the running header above it was left out.
            or line.top - prev.bottom > 3 * prev.size
            or line.x0 - left > 0.8 * line.size
            or abs(line.size - prev.size) > 0.15 * prev.size
            or (right - prev.x1 > 2 * prev.size and prev.text.rstrip().endswith(tuple(_TERMINALS)))
        )
        if new:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _running(pages: list[tuple[list[Line], float]]) -> set[str]:
    """Lines in a page's top or bottom tenth with the same text on three pages or more: running headers, even
    those on every other page only (too few for _margin_lines to drop)."""
    seen = Counter(
        text
        for lines, height in pages
        for text in {
            line.text.strip()
            for line in lines
            if line.bottom < height * MARGIN_BAND or line.top > height * (1 - MARGIN_BAND)
        }
    )
    return {text for text, n in seen.items() if n >= 3}


def _margin_lines(pages: list[tuple[list[Line], float]], size: float) -> set[tuple[int, int]]:
    """(page, line) of page numbers and running headers/footers: in a margin band, a number or repeated
    (on both pages of two, on half the pages of more); never a line in a heading's font (a title that reads
    as the running header above it)."""

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.strip())

    in_band, titled = [], []
    for p, (lines, height) in enumerate(pages):
        for i, line in enumerate(lines):
            if line.bottom < height * MARGIN_BAND or line.top > height * (1 - MARGIN_BAND):
                # The first page's larger lines are the report's title, whatever repeats later.
                (in_band if line.size < size * HEADING_RATIO else titled if p else []).append(
                    (p, i, key(line.text))
                )
    repeats = Counter(k for _, _, k in {(p, 0, k) for p, _, k in in_band})
    enough = 2 if len(pages) == 2 else max(3, (len(pages) + 1) // 2)
    return (
        {
            (p, i)
            for p, i, k in in_band
            if _PAGE_NUMBER.match(pages[p][0][i].text) or (len(pages) >= 2 and repeats[k] >= enough)
        }
        | {(p, i) for p, i, _ in titled if _PAGE_NUMBER.match(pages[p][0][i].text)}
        | _nearby_running(pages, in_band + titled)
    )


def _nearby_running(
    pages: list[tuple[list[Line], float]], in_band: list[tuple[int, int, str]]
) -> set[tuple[int, int]]:
    """(page, line) of margin lines repeated in the same band one or two pages away: running headers that
    alternate between odd and even pages (a real thesis: its title on even pages, the chapter's on odd ones;
    each on half the pages or fewer, and the chapter's glued into a sentence where a page break cut it), however
    each page's writer cut or joined them into lines (`公司点评  高测股份（688556.SH）` on one page, two lines
    on the next). Every piece of the line between wide spaces is a page number or stands in such a band; at
    least one piece has two letters or characters (a table's `2022E` column head is no evidence)."""

    def band(p: int, i: int) -> str:
        return "top" if pages[p][0][i].bottom < pages[p][1] * MARGIN_BAND else "bottom"

    texts: dict[tuple[int, str], list[tuple[float, float, str]]] = {}
    members: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for p, i, k in in_band:
        line = pages[p][0][i]
        texts.setdefault((p, band(p, i)), []).append((line.top, line.x0, "".join(k.split())))
        members.setdefault((p, band(p, i)), []).append((i, k))
    joined = {key: "".join(t for _, _, t in sorted(rows)) for key, rows in texts.items()}

    def repeated(p: int, where: str, k: str) -> bool:
        near = [joined[(q, where)] for q in (p - 2, p - 1, p + 1, p + 2) if (q, where) in joined]
        evidence = False
        for piece in k.split():
            if _PAGE_NUMBER.match(piece.replace("#", "1")) or re.fullmatch(r"[#/／|｜\-—–·.]+", piece):
                continue
            if sum(ch.isalpha() for ch in piece) < 2 or not any(piece in text for text in near):
                return False
            evidence = True
        return evidence

    out = set()
    for (p, where), found in members.items():
        # From the page's edge inwards, up to the first line that is not one: a table's head row under the
        # header, repeated by the next table two pages on (a thesis's regression tables), is no header.
        lines = pages[p][0]
        found.sort(key=lambda f: lines[f[0]].top if where == "top" else -lines[f[0]].bottom)
        stop = None
        for i, k in found:
            line = lines[i]
            if stop is not None and (line.top >= stop if where == "top" else line.bottom <= stop):
                break
            if repeated(p, where, k):
                out.add((p, i))
            elif not _PAGE_NUMBER.match(line.text):
                stop = line.bottom if where == "top" else line.top
    return out


def _heading(group: list[Line], size: float) -> bool:
    """A paragraph in a font larger than the body's, of a line or two, not ended as a sentence: a longer paragraph,
    or one closed by 。, is body text whatever its font (a report whose tables and notes are set smaller than its
    prose puts the body's own size above the most common one)."""
    return (
        group[0].size >= size * HEADING_RATIO
        and len({round(line.top) for line in group}) <= HEADING_MAX_LINES
        and not group[-1].text.rstrip().endswith(_SENTENCE_END)
    )


def _continues(
    prev: list[Line], nxt: list[Line], size: float, body: tuple[float, float] | None = None
) -> bool:
    """Whether a paragraph cut by a column or page break goes on in the next column's first paragraph.

    Its last line must run to the right edge of its other lines. A paragraph of one line (its first line alone
    ended the page: a real WPS-made work report cut two so) must span the body text's line, from its left edge
    (a first-line indent allowed) to its right (`body`: the most common line start and end of the document's
    body text), which headings, list items, page numbers and table rows do not."""
    last, first = prev[-1], nxt[0]
    if len(prev) > 1:
        full = last.x1 >= max(line.x1 for line in prev) - size
    else:
        full = (
            body is not None
            and last.x0 <= body[0] + 3 * size
            and last.x1 >= body[1] - size
            and not is_table_row(last.text)
        )
    return (
        full
        and not last.text.rstrip().endswith(tuple(_TERMINALS))
        and abs(first.size - last.size) <= 0.15 * last.size
        and last.size < size * HEADING_RATIO
    )


def read_pdf(data: bytes, name: str) -> str:
    """The text of a PDF in reading order; ReportReadError for a scanned (image-only) or locked PDF."""
    need("pdfplumber", name, "PDF files")
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            tables, pages, image_counts, drawings = [], [], [], []
            for n, page in enumerate(pdf.pages, start=1):
                found = page_tables(page)
                tables.append(found)
                boxes = [(t.x0, t.top, t.x1, t.bottom) for t in found]
                # Words in a table's box but in none of its cells are no cell's text: read as lines, or they
                # are lost (a research report's stock data stood beside its table under rules without sides).
                cells = [box for t in found for box in (t.cells or [(t.x0, t.top, t.x1, t.bottom)])]
                pages.append((page_lines(page, cells), float(page.height)))
                drawings.append(drawing_boxes(page, boxes))
                image_counts.append(len(page.images))
                step("page", n, len(pdf.pages), name)
    except PDFPasswordIncorrect as exc:
        raise ReportReadError(
            f"{name}: the PDF is password-protected; save an unlocked copy and add that"
        ) from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ReportReadError(
            f"{name}: the PDF cannot be read ({type(exc).__name__}: {exc}); print it to a new PDF and add that"
        ) from exc
    text_chars = sum(len(line.text.strip()) for lines, _ in pages for line in lines)
    text_chars += sum(len("".join(row)) for found in tables for t in found for row in t.rows)
    # Pages that are images without text (scans) are read by OCR; the others are read directly.
    scanned = [
        n
        for n, ((lines, _), count, found) in enumerate(zip(pages, image_counts, tables, strict=True))
        if (count or not text_chars) and not lines and not found
    ]
    ocr_pages = {}
    for k, n in enumerate(scanned, start=1):
        ocr_pages[n] = ocr_image(render_pdf_page(data, n))
        step("ocr", k, len(scanned), name)
    blank = [n + 1 for n in scanned if not ocr_pages[n].paragraphs]
    if text_chars + sum(len(t) for page in ocr_pages.values() for t in page.paragraphs) < MIN_TEXT_CHARS:
        raise ReportReadError(
            f"{name}: the PDF has no text layer and OCR found no text on its {len(pages)} pages; scan it again "
            "flat and in focus (200-300 dpi), or add the original document"
        )
    if len(blank) * 2 > len(pages):
        # Mostly unreadable scans with a typed page or two: the typed pages alone would lose most of the report.
        raise ReportReadError(
            f"{name}: OCR found no text on {len(blank)} of its {len(pages)} pages (pages "
            f"{', '.join(map(str, blank[:10]))}{'…' if len(blank) > 10 else ''}); scan them again flat and in "
            "focus (200-300 dpi), or add the original document"
        )
    unmapped = sum(line.text.count("(cid:") for lines, _ in pages for line in lines)
    if unmapped * 6 > text_chars:
        raise ReportReadError(
            f"{name}: the PDF's fonts do not say which characters they draw ({unmapped} unmapped glyphs); "
            "export the PDF again from the original document, or run OCR on it"
        )
    sizes = Counter()
    for lines, _ in pages:
        for line in lines:
            sizes[round(line.size)] += len(line.text)
    size = float(sizes.most_common(1)[0][0]) if sizes else 11.0  # a PDF of tables alone
    margins = _margin_lines(pages, size)
    running = _running(pages)
    groups: list[list[Line]] = []
    plain = [line for lines, _ in pages for line in lines if abs(line.size - size) <= 0.15 * size]
    starts, ends = Counter(round(line.x0) for line in plain), Counter(round(line.x1) for line in plain)
    # justified body lines all start and end here
    body = (float(starts.most_common(1)[0][0]), float(ends.most_common(1)[0][0])) if plain else None
    carried: tuple[tuple[str, ...], str] | None = (
        None  # the header and title of a table the last page ended on
    )
    for p, (lines, _) in enumerate(pages):
        if p in ocr_pages:
            carried = None
            groups.extend([Line(0, 0, 0, 0, text, size)] for text in ocr_pages[p].paragraphs)
            continue
        page_start = len(groups)
        keep = [line for i, line in enumerate(lines) if (p, i) not in margins]
        # Tables without rules: read as rows like the ruled ones, and kept out of the columns and paragraphs.
        found = borderless_tables(keep, size)
        used = {i for table in found for i in table.lines}
        keep = [line for i, line in enumerate(keep) if i not in used]
        # A chart's axis labels are no text (what is left after the tables, so no table row is lost).
        axis = axis_lines(keep, drawings[p], size)
        keep = [line for i, line in enumerate(keep) if i not in axis]
        for c, column in enumerate(_reading_order(keep, size)):
            paragraphs = _paragraphs(column, size)
            if paragraphs and groups and _continues(groups[-1], paragraphs[0], size, body) and (c or p):
                groups[-1] = groups[-1] + paragraphs[0]
                paragraphs = paragraphs[1:]
            groups.extend(paragraphs)
        borderless = [PageTable(t.x0, t.top, t.x1, t.bottom, t.rows, t.title) for t in found]
        first = min(borderless, key=lambda t: t.top, default=None)
        if (
            carried is not None
            and first is not None
            and len(first.rows[0]) == len(carried[0])
            and not looks_like_header(first.rows[0])
            and not any(line.bottom <= first.top for line in keep)
        ):
            # A table going on from the last page without its header row: that page's header and title.
            at = borderless.index(first)
            borderless[at] = replace(first, rows=(carried[0], *first.rows), title=carried[1], continued=True)
        titles = _insert_tables(groups, page_start, tables[p] + borderless, size, running)
        last = max(borderless, key=lambda t: t.bottom, default=None)
        ends = last is not None and not any(line.top >= last.bottom for line in keep)
        carried = (last.rows[0], titles[last]) if ends else None
    paras = [
        Para(join_lines(line.text for line in group), 2 if _heading(group, size) else 0) for group in groups
    ]
    note_pages([(n + 1, page) for n, page in sorted(ocr_pages.items())])
    return render(mark_headings(paras))
