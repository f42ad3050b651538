"""A question naming a table's row and its column (槐南镇的组建率, 2023E每股收益): the cell where they cross; one
naming a label of a two-column table (总市值): its value.

A table row passage (`表题 · 行头 · 列头: 值 · 列头: 值`, index/readers/tables.py) holds several figures, and a
bare one (`2023E: 4.43`) has no unit or counted noun for the answer scorer to weigh: it may pick the column head
(2021) or another column's figure. When the question writes the row's head and exactly one column's head, the
answer is that cell, read from the table's own structure rather than scored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.passage import Passage
from index.readers.tables import SEPARATOR, parse_table_row
from index.text.figures import YEAR_HEAD

# A head's unit or note in brackets is not written in a question: 营业收入(百万元) is asked as 营业收入.
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
# A year column (2021, 2023E for an estimate, 2022A for actual) is asked as 2023E or as 2023年.
# How much of a row head the question must write, in order (营业收入 for 营业总收入: 4 of 5 characters).
MIN_ROW_SHARE = 0.75


@dataclass(frozen=True)
class Cell:
    """The cell a question asks for: the passage (index into those given), the value and its span there."""

    passage: int
    start: int
    end: int
    text: str


def _bare(head: str) -> str:
    return _BRACKETED.sub("", head).strip()


def _subsequence_share(head: str, text: str) -> float:
    """The share of the head's characters the text writes in the same order (longest common subsequence)."""
    if not head:
        return 0.0
    previous = [0] * (len(text) + 1)
    for h in head:
        current = [0]
        for j, t in enumerate(text):
            current.append(previous[j] + 1 if h == t else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / len(head)


def _row_named(head: str, question: str) -> bool:
    bare = _bare(head)
    if len(bare) < 2:
        return False
    if bare in question:
        return True
    # Written nearly whole, with at least two characters together: 营业收入 names 营业总收入.
    pairs = any(bare[i : i + 2] in question for i in range(len(bare) - 1))
    return pairs and _subsequence_share(bare, question) >= MIN_ROW_SHARE


def _column_named(head: str, question: str) -> bool:
    bare = _bare(head)
    year = YEAR_HEAD.match(bare)
    if year:
        return bare in question or f"{year.group(1)}年" in question
    return len(bare) >= 2 and bare in question


def read_cell(question: str, passages: Sequence[Passage]) -> Cell | None:
    """The first passage (in the order given) that is a table row the question names by its row head and exactly
    one of its column heads, and the value of that cell; None when no row and column are both named."""
    for index, passage in enumerate(passages):
        row = parse_table_row(passage.text)
        if row is not None and not row.head and len(row.cells) == 1:
            # a label and its value (总市值(百万元): 18,785.44): the label names the cell
            label, value = row.cells[0]
            start = passage.text.find(f"{label}: {value}")
            if value and start >= 0 and _row_named(label, question):
                start += len(label) + 2
                return Cell(index, start, start + len(value), value)
            continue
        if row is None or not _row_named(row.head, question):
            continue
        named = [(column, value) for column, value in row.cells if _column_named(column, question)]
        if len(named) != 1 or not named[0][1]:
            continue
        column, value = named[0]
        start = passage.text.find(f"{SEPARATOR}{column}: {value}")
        if start < 0:
            continue
        start += len(SEPARATOR) + len(column) + 2
        return Cell(index, start, start + len(value), value)
    return None
