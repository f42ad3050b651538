"""Borderless tables on a PDF page: rows of short cells aligned in the same 2+ columns, mostly figures.

Without drawn rules pdfplumber's table finder sees no table, and the column finder takes the gaps between a
table's columns for a page's columns: each column is read on its own, the row labels run together and the
values come one a paragraph (276 of 462 paragraphs a number alone on a real research report, eval/READERS.md).
Here such a block is found from the lines' positions and handed back as a grid of cells, which the PDF reader
writes as rows that keep their headers (index/readers/tables.py), as it does ruled tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.figures import NUMBER, YEAR_HEAD
from .lines import Line, spaced

# Set by hand and checked on the six real PDFs of eval/READERS.md (the research report's statements and the thesis's
# statistics and regression tables read as rows, no prose read as a table; the four others: none found) and the
# two-column tests.
# A gap this wide (in character widths) inside a line parts two cells. Justified Chinese spreads its characters
# by a fraction of one; a table's cells stand a character or more apart (10.8 pt at 10.5 pt with Word's padding).
CELL_GAP = 0.8
SHORT_CELL = 24  # characters: a cell longer than this is running text
# Rows of one table stand at most this many body font sizes apart (the thesis's padded rows: one).
ROW_GAP = 2.5
MIN_ROWS = 3  # a header and two rows, or three rows
MIN_FILLED = 0.5  # of the grid's body cells: a chart's scattered axis labels fill far fewer
MIN_FIGURES = 0.5  # of the body cells right of the row labels

_SIGNS = "-+−–(（¥￥$"
_TAILS = ")）*EeAa"
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][-+]?\d+")
_EMPTY = re.compile(r"^[-—–/／…]+$")
_TERMINALS = "。！？!?；;…：:，,"
_MARKS = "。！？；：，"
_COLONS = "：:"
# A caption (表4.2 …, 续表3, 图1), even when its number stands apart from its words like two cells.
_CAPTION = re.compile(r"^\s*续?\s*[表图]\s*[\dA-Za-z一二三四五六七八九十]")


@dataclass(frozen=True)
class Cell:
    """One cell's text and its horizontal extent on the page."""

    x0: float
    x1: float
    text: str


@dataclass(frozen=True)
class Borderless:
    """A table found without rules: its box, its grid of cells row by row, the page lines it was read from."""

    x0: float
    top: float
    x1: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]
    lines: frozenset[int]
    title: str = ""  # the first head of a table cut from a wider or longer one (利润表(百万元))


def is_figure(text: str) -> bool:
    """Whether a cell holds a figure (1,567 · 93.1% · 46家 · -33 · (0.23) · 2022E · 8.10e+9) or an empty mark (—)."""
    text = "".join(text.split())
    if not text:
        return False
    if _EMPTY.match(text):
        return True
    core = text.lstrip(_SIGNS).rstrip(_TAILS) or text
    return bool(NUMBER.fullmatch(core) or _SCIENTIFIC.fullmatch(core))


def looks_like_header(row: tuple[str, ...]) -> bool:
    """Whether a table's first row reads as its header: right of the row label, words or years, no other figures."""
    return all(not is_figure(c) or YEAR_HEAD.match(c) for c in row[1:] if c)


def cells(line: Line) -> list[Cell]:
    """A line cut into cells at the gaps of a character or more between its words."""
    parts = line.parts or ((line.x0, line.x1, line.text),)
    out: list[Cell] = []
    for x0, x1, text in parts:
        last = out[-1] if out else None
        if last is not None and x0 - last.x1 < CELL_GAP * line.size:
            gap = x0 - last.x1 > 0.25 * line.size and spaced(last.text[-1:], text[:1])
            out[-1] = Cell(last.x0, x1, last.text + (" " if gap else "") + text)
        else:
            out.append(Cell(x0, x1, text))
    return [Cell(c.x0, c.x1, c.text.strip()) for c in out if c.text.strip()]


def _short(cell: Cell) -> bool:
    """A cell, not a piece of a sentence: short, without a Chinese clause mark (a note `备注：表中…`)."""
    text = "".join(cell.text.split())
    return len(text) <= SHORT_CELL and text[-1] not in _TERMINALS and not any(m in text for m in _MARKS)


@dataclass
class _Row:
    top: float
    bottom: float
    lines: list[int]
    cells: list[Cell]

    def kind(self) -> str:
        """`data`: 2+ short cells with a figure right of the first; `head`: 2+ short cells; `label`: one short
        cell; `text` otherwise."""
        first, *rest = self.cells
        if rest and is_figure(rest[0].text) and first.text[-1:] in _COLONS:
            # `总市值(百万元)：  18,785.44`: a label and its value, not a clause ending in a colon
            first = Cell(first.x0, first.x1, first.text[:-1])
        if not all(_short(c) for c in (first, *rest)) or _CAPTION.match(" ".join(c.text for c in self.cells)):
            return "text"
        if len(self.cells) == 1:
            return "label"
        return "data" if any(is_figure(c.text) for c in self.cells[1:]) else "head"


def _rows(lines: list[Line]) -> list[_Row]:
    """The page's lines grouped into visual rows by vertical overlap, top to bottom."""
    rows: list[_Row] = []
    for i in sorted(range(len(lines)), key=lambda i: (lines[i].top, lines[i].x0)):
        line = lines[i]
        height = max(line.bottom - line.top, 0.1)
        for row in reversed(rows[-3:]):
            overlap = min(row.bottom, line.bottom) - max(row.top, line.top)
            if overlap >= 0.5 * min(height, row.bottom - row.top):
                row.lines.append(i)
                row.top, row.bottom = min(row.top, line.top), max(row.bottom, line.bottom)
                break
        else:
            rows.append(_Row(line.top, line.bottom, [i], []))
    for row in rows:
        row.cells = sorted((c for i in row.lines for c in cells(lines[i])), key=lambda c: c.x0)
    return rows


def _runs(rows: list[_Row], size: float) -> list[list[_Row]]:
    """Stretches of consecutive table-like rows (header or data rows, a one-cell group label between two data
    rows allowed), no more than ROW_GAP lines apart."""
    runs: list[list[_Row]] = []
    run: list[_Row] = []
    for n, row in enumerate(rows):
        kind = row.kind()
        near = bool(run) and row.top - run[-1].bottom <= ROW_GAP * size
        following = rows[n + 1] if n + 1 < len(rows) else None
        before_data = (
            following is not None
            and following.kind() == "data"
            and following.top - row.bottom <= ROW_GAP * size
        )
        if kind in ("data", "head") and near:
            run.append(row)
        elif kind == "label" and near and before_data and any(r.kind() == "data" for r in run):
            run.append(row)
        else:
            if run:
                runs.append(run)
            run = [row] if kind in ("data", "head") else []
    if run:
        runs.append(run)
    return runs


def _heads(run: list[_Row]) -> int:
    """How many rows at the run's top make its header: its leading rows without figures (up to three; a head
    over two columns, then theirs), else the first row."""
    k = 0
    while k < min(3, len(run) - 1) and run[k].kind() == "head":
        k += 1
    return max(k, 1)


def _columns(body: list[_Row], size: float) -> list[tuple[float, float]]:
    """The x-ranges the body's cells cover, parted by strips at least half a character wide that (almost) no
    cell crosses: a note or a label running over two columns (a tenth of the rows at most) does not join them."""
    spans = [(c.x0, c.x1) for row in body for c in row.cells]
    left = min(a for a, _ in spans)
    steps = int(max(b for _, b in spans) - left) + 2
    cover = [0] * steps
    for a, b in spans:
        for x in range(int(a - left), int(b - left) + 1):
            cover[x] += 1
    limit = len(body) // 10
    columns: list[tuple[float, float]] = []
    start = end = None
    for x in range(steps):
        if cover[x] <= limit:
            continue
        if start is None:
            start = x
        elif x - end - 1 >= 0.5 * size:
            columns.append((left + start, left + end + 1))
            start = x
        end = x
    if start is not None:
        columns.append((left + start, left + end + 1))
    return columns


def _column_of(cell: Cell, columns: list[tuple[float, float]]) -> int:
    """The column a cell belongs to: the one it overlaps most, else the nearest."""

    def score(c: int) -> tuple[float, float]:
        a, b = columns[c]
        overlap = min(b, cell.x1) - max(a, cell.x0)
        centre = (cell.x0 + cell.x1) / 2
        return (overlap, -abs((a + b) / 2 - centre))

    return max(range(len(columns)), key=score)


def _grid(run: list[_Row], heads: int, columns: list[tuple[float, float]]) -> list[list[str]]:
    """The run's cells by column: one header row (the `heads` rows on top as one, a head spanning columns given
    to each column it stands over), then a row per body row."""
    header = [""] * len(columns)
    for row in run[:heads]:
        for cell in row.cells:
            over = [c for c, (a, b) in enumerate(columns) if cell.x0 <= (a + b) / 2 <= cell.x1]
            for c in over or [_column_of(cell, columns)]:
                header[c] = f"{header[c]} {cell.text}".strip()
    grid = [header]
    for row in run[heads:]:
        out = [""] * len(columns)
        for cell in row.cells:
            c = _column_of(cell, columns)
            out[c] = f"{out[c]} {cell.text}".strip()
        grid.append(out)
    return grid


def _split(grid: list[list[str]]) -> list[tuple[int, int]]:
    """Side-by-side tables (a research report's 主要财务指标 beside its 利润表): cut before a column of labels whose
    table repeats the column heads of the one on its left. Returns the column ranges of each table."""
    header, body = grid[0], grid[1:]
    width = len(header)
    for j in range(2, width - 1):
        column = [row[j] for row in body if row[j]]
        labels = sum(1 for t in column if not is_figure(t))
        left, right = header[1:j], header[j + 1 :]
        repeats = bool(left) and right[: len(left)] == left and any(left)
        if column and labels * 2 > len(column) and repeats:
            return [(0, j), *[(a + j, b + j) for a, b in _split([row[j:] for row in grid])]]
    return [(0, width)]


def _stacked(part: list[list[str]]) -> list[tuple[int, int]]:
    """Tables one under another with the same column heads (a 利润表 then its 资产负债表): row ranges, each
    starting at a row that repeats the first one's heads under a new label."""
    header = part[0]
    starts = [0] + [
        r for r in range(2, len(part) - 1) if part[r][1:] == header[1:] and part[r][0] != header[0]
    ]
    return list(zip(starts, [*starts[1:], len(part)], strict=True))


def _table(
    run: list[_Row], size: float
) -> list[tuple[tuple[int, int], tuple[int, int], str, list[list[str]]]]:
    """The run as one or more tables, each (its column range, its row range, its title, its grid); none if the
    run does not read as a table. A table cut from a wider or longer one keeps its first head as its title."""
    if len(run) < MIN_ROWS:
        return []
    heads = _heads(run)
    columns = _columns(run[heads:], size)
    if len(columns) < 2:
        return []
    grid = _grid(run, heads, columns)
    body = [row for row, r in zip(grid[1:], run[heads:], strict=True) if r.kind() != "label"]
    filled = sum(1 for row in body for cell in row if cell)
    if filled < MIN_FILLED * len(body) * len(columns):
        return []
    values = [cell for row in body for cell in row[1:] if cell]
    if not values or sum(1 for v in values if is_figure(v)) < MIN_FIGURES * len(values):
        return []
    out = []
    sides = _split(grid)
    for a, b in sides:
        part = [row[a:b] for row in grid]
        stacks = _stacked(part)
        for top, end in stacks:
            rows = part[top:end]
            if b - a < 2 or sum(1 for row in rows if any(row)) < MIN_ROWS:
                continue
            head = rows[0][0]
            title = head if (len(sides) > 1 or len(stacks) > 1) and head and not is_figure(head) else ""
            out.append(((a, b), (top, end), title, rows))
    return out


def borderless_tables(lines: list[Line], size: float) -> list[Borderless]:
    """The page's borderless tables (none in running text, two columns of it included: its cells are long and
    not figures), each with the indices of the lines it was read from."""
    found = []
    for run in _runs(_rows(lines), size):
        parts = _table(run, size)
        if not parts:
            continue
        heads = _heads(run)
        columns = _columns(run[heads:], size)
        for (a, b), (top, end), title, grid in parts:
            x0, x1 = columns[a][0], columns[b - 1][1]
            used = frozenset(
                i
                for row in run[(heads + top - 1 if top else 0) : heads + end - 1]
                for i in row.lines
                if x0 - size <= (lines[i].x0 + lines[i].x1) / 2 <= x1 + size
            )
            if not used:
                continue
            found.append(
                Borderless(
                    min(lines[i].x0 for i in used),
                    min(lines[i].top for i in used),
                    max(lines[i].x1 for i in used),
                    max(lines[i].bottom for i in used),
                    tuple(tuple(row) for row in grid),
                    used,
                    title,
                )
            )
    return found
