"""Tables as text that keeps its headers: each row one line, `表题 · 行头 · 列头: 值 · 列头: 值`.

A cell read alone (`95%`) answers nothing; with its table's title, its row's head and its column's head
(`永安市各乡镇工会组建情况 · 小陶镇 · 组建率: 95%`) it answers `小陶镇的工会组建率是多少`. Word tables,
PDF tables (pdfplumber's table finder, or index/readers/borderless.py where no rules are drawn) and .xlsx sheets
all come through `table_lines`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ReportReadError
from ..text.figures import YEAR
from .extra import need
from .lines import Para, clean, mark_headings, render

SEPARATOR = " · "
# `表题 · 行头 · 列头: 值`, a label and its value alone (`总市值(百万元): 18,785.44`, a two-column table without a
# header; prose writes the full-width colon), or cells between bars.
_LABEL_VALUE = re.compile(r"^[^\s:：。；，]{1,30}: [^\s。；，][^\n。；，]{0,30}$")
_ROW = re.compile(rf"^[^\n]* · [^\n]*\S: \S|{_LABEL_VALUE.pattern}|^[^|\n]+( \| [^|\n]*)+$")
_DEFAULT_SHEET = re.compile(r"^(?:Sheet|工作表)\s*\d*$", re.I)
MAX_SHEET_CELLS = 200_000  # a sheet past this is data, not a report's table


def is_table_row(text: str) -> bool:
    """Whether a line of report text is a table row as the readers write it (never half of a sentence)."""
    return bool(_ROW.match(text))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value)).replace(" · ", "·")


def _title_and_grid(rows: Sequence[Sequence[object]], title: str) -> tuple[str, list[list[str]]]:
    grid = [[_cell(c) for c in row] for row in rows]
    grid = [row for row in grid if any(row)]
    # A first row of one cell over a wide table is its title (a merged title row in a sheet); it wins
    # over the title passed in.
    while grid and len(grid[0]) > 1 and sum(1 for c in grid[0] if c) == 1 and len(grid) > 1:
        title = next(c for c in grid[0] if c)
        grid = grid[1:]
    return clean(title), grid


_HEAD = re.compile(rf"^(?:[^\d]*|{YEAR}\D*)$")


def _heads_again(row: list[str]) -> bool:
    """Whether a row below the header heads the rows under it: no row head and two or more cells, each
    without figures or a year (a real annual report's table goes on under `2023年末 · 2022年末 ·
    本年末比上年末增减`; a regression table's standard errors `(0.0219)` and a datasheet's `0.07C · 3.65V`
    also have no row head, and stay values)."""
    heads = [c for c in row[1:] if c]
    return not row[0] and len(heads) >= 2 and all(_HEAD.match(c) for c in heads)


def table_lines(rows: Sequence[Sequence[object]], title: str = "") -> list[str]:
    """A table's rows as lines; the first row with two or more cells is the header, the first column the row head.

    Rows that repeat the header (a table continued over a page) and empty rows are left out; a table of one
    column, or without a header row, gives its non-empty rows with the cells joined by the separator.
    """
    title, grid = _title_and_grid(rows, title)
    if not grid:
        return []
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    # A column with text in its first row only holds no value (a side table's caption over a blank column beside
    # the rows); kept, it took the row heads' place and every row's head read `第2列`.
    keep = [c for c in range(width) if any(row[c] for row in grid[1:] or grid)]
    grid = [[row[c] for c in keep] for row in grid]
    lead = [title] if title else []
    if len(keep) < 2 or len(grid) < 2:
        return [SEPARATOR.join(lead + [c for c in row if c]) for row in grid]
    if len(keep) == 2 and grid[0][0] and not _HEAD.match(grid[0][1]):
        # Two columns whose first row is already a label and its figure (`总市值(百万元)：  18,785.44`): no
        # header, each row a label and its value. The figure once became every row's column head.
        return [
            SEPARATOR.join(lead + [f"{head.rstrip('：:')}: {value}" if head and value else head or value])
            for head, value in grid
        ]
    header, body = grid[0], grid[1:]
    lines = []
    for row in body:
        if row == header:
            continue
        if _heads_again(row):
            header = row
            continue
        head = row[0]
        cells = [
            f"{header[c] or f'第{c + 1}列'}: {row[c]}"
            for c in range(1, len(row))
            if row[c] and row[c] != head
        ]
        if not cells:
            lines.append(SEPARATOR.join(lead + [head]))
            continue
        lines.append(SEPARATOR.join(lead + ([head] if head else []) + cells))
    return lines


def read_xlsx(data: bytes, name: str) -> str:
    """An Excel .xlsx workbook as report text: each sheet's name a heading, its rows as table lines."""
    openpyxl = need("openpyxl", name, "Excel workbooks")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReportReadError(
            f"{name}: Excel cannot read this .xlsx ({type(exc).__name__}: {exc}); open it and save it again"
        ) from exc
    paras: list[Para] = []
    try:
        for sheet in book.worksheets:
            rows, cells = [], 0
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_SHEET_CELLS:
                    raise ReportReadError(
                        f"{name}: sheet {sheet.title} has over {MAX_SHEET_CELLS} cells; a report's table is "
                        "smaller: save the part that belongs to the report"
                    )
                rows.append(row)
            title = "" if _DEFAULT_SHEET.match(sheet.title) else sheet.title
            lines = table_lines(rows, title=title)
            title, _ = _title_and_grid(rows, title)
            if lines and title:
                paras.append(Para(title, 2))  # the first becomes the report's title
            paras.extend(Para(line) for line in lines)
    finally:
        book.close()
    text = render(mark_headings(paras))
    if not text.strip():
        raise ReportReadError(f"{name}: the workbook holds no text (every sheet is empty)")
    return text


@dataclass(frozen=True)
class TableRow:
    """One row line read back: its table's title, its row head and its (column head, value) cells."""

    title: str
    head: str
    cells: tuple[tuple[str, str], ...]


def parse_table_row(text: str) -> TableRow | None:
    """A row line as `table_lines` writes it, read back into its parts; None for any other text.

    `表题 · 行头 · 列头: 值 · 列头: 值`: the parts before the first cell are the title and the row head; one such
    part is read as the row head (a table without a title, or a title over a row without a head, reads alike).
    """
    if "\n" not in text and SEPARATOR not in text and _LABEL_VALUE.match(text):
        label, value = text.split(": ", 1)
        return TableRow("", "", ((label, value),))  # a label and its value: one cell, headed by the label
    if "\n" not in text and is_table_row(text) and SEPARATOR in text:
        parts = text.split(SEPARATOR)
        lead = []
        while parts and ": " not in parts[0]:
            lead.append(parts.pop(0))
        cells = tuple(tuple(part.split(": ", 1)) for part in parts if ": " in part)
        if cells and len(cells) == len(parts) and len(lead) <= 2:
            title, head = (lead[0], lead[1]) if len(lead) == 2 else ("", lead[0] if lead else "")
            return TableRow(title, head, cells)  # type: ignore[arg-type]
    return None
