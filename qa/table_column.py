"""A question over a column of one report's table (各乡镇组建率, 哪个乡镇组建率最高): the column read as a table.

The readers write each table row as one passage, `表题 · 行头 · 列头: 值` (index/readers/tables.py). A cell
answers the question about its row (小陶镇的组建率是多少) as any passage does; a question over every row (各乡镇…,
哪个乡镇…最高, 小陶镇和贡川镇…分别) asks for the whole column, which no one passage holds: it is gathered here
from every row of the table, one Row per row head, and read for a superlative as a comparison across reports is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from index.passage import Passage
from index.readers.tables import parse_table_row
from index.text import figures
from index.text.normalise import segmenter

from .compare import AMOUNT_TAIL, Measure, Plan, build_table, measure_of
from .question import Question
from .types import Row, Table

# Words that ask over the rows of a table: 各乡镇, 哪个乡镇, 哪些单位, 哪家企业; 分别 over the rows it names.
_OVER_ROWS = ("各", "各个", "哪个", "哪些", "哪家", "哪一个", "哪几个")
_ROW_NOUN = re.compile(r"^[\u4e00-\u9fff]{1,6}$")
# 各级, 各类, 各项 … say "of every kind", not the rows of a table.
_NOT_ROWS = frozenset("级类项种界方族式样")


@dataclass(frozen=True)
class _Cell:
    passage: Passage
    title: str
    head: str
    column: str
    value: str
    start: int  # the value inside the passage's text


def rows_asked_over(q: Question) -> str | None:
    """The noun a question asks over the rows of (乡镇 of 各乡镇…, 哪个乡镇…最高), '' when it asks with 分别 or a
    superlative but names none, None when it asks about one row or none."""
    tokens = segmenter().lcut(q.text)
    for before, after in pairwise(tokens):
        if before in _OVER_ROWS and _ROW_NOUN.match(after) and after[0] not in _NOT_ROWS:
            return after
    for token in tokens:
        if (
            token.startswith("各")
            and len(token) >= 2
            and _ROW_NOUN.match(token)
            and token[1] not in _NOT_ROWS
        ):
            return token[1:]
    if "分别" in q.text or q.comparison.superlative:
        return ""
    return None


def _column_fits(measure: Measure, column: str) -> bool:
    """Whether a column head names the measure: 组建率 for 工会组建率, 基层工会数 for 基层工会."""
    bare = AMOUNT_TAIL.sub("", column) or column
    for form in measure.forms:
        if column == form or bare == form:
            return True
        if len(bare) >= 2 and (bare in form or form in bare):
            return True
    return False


def _cells(measure: Measure, passages: Iterable[Passage]) -> dict[tuple[str, str, str], list[_Cell]]:
    """Every cell of a column that names the measure, grouped by table (report, title) and column."""
    tables: dict[tuple[str, str, str], list[_Cell]] = {}
    for p in passages:
        row = parse_table_row(p.text)
        if row is None or not row.head:
            continue
        offset = len(row.title) + len(" · ") * bool(row.title) + len(row.head)
        for column, value in row.cells:
            offset += len(" · ") + len(column) + len(": ")
            if _column_fits(measure, column):
                cell = _Cell(p, row.title, row.head, column, value, offset)
                tables.setdefault((p.source, row.title, column), []).append(cell)
            offset += len(value)
    return tables


def _row(cell: _Cell) -> Row:
    amount = figures.quantity(cell.value)
    p = cell.passage
    return Row(
        place=cell.head,
        year=p.year,
        answer=cell.value,
        value=amount.value if amount else None,
        unit=amount.unit if amount else None,
        source=p.source,
        passage_id=p.id,
        sentence=p.text,
        qualifiers=amount.qualifiers if amount else (),
        span=(cell.start, cell.start + len(cell.value)),
        place_code=None,
    )


def answer_column(q: Question, passages: Iterable[Passage]) -> Table | None:
    """The column a question over a table's rows asks for, as a table of its rows; None when the question asks
    about one row, names no measure, or no table of the passages has a column for it with two stated rows.
    The passages are read only once the question asks over rows: most questions never walk the index here."""
    noun = rows_asked_over(q)
    if noun is None:
        return None
    measure = measure_of(q)
    if measure is None:
        return None
    tables = _cells(measure, passages)
    # The column whose head is the measure as asked, then the one with the most rows (a fuller table).
    ranked = sorted(
        tables.items(),
        key=lambda item: (item[0][2] not in measure.forms, -len(item[1])),
    )
    for (_, _, column), cells in ranked:
        named = [c for c in cells if c.head in q.text]
        chosen = named if len(named) >= 2 else cells
        rows = [_row(c) for c in chosen]
        if sum(r.value is not None for r in rows) < 2:
            continue
        superlative = q.comparison.superlative
        if superlative:
            plan = Plan(Measure(column, (column,), measure.unit), (), "superlative", superlative)
            table = build_table(plan, rows)
        else:  # the column in the report's own order, as staff read the table
            table = Table(column, tuple(rows), "compare")
        return Table(table.measure, table.rows, table.mode, table.best, table.verdict, label=noun or None)
    return None
