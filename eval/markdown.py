"""Markdown tables: the one writer for evaluation reports, fitting summaries and benchmark figures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def replace_section(path: Path, start: str, end: str, body: str) -> None:
    """Put `body` between the markers `start` and `end` of a report, replacing what was there (or append it)."""
    block = f"{start}\n{body}\n{end}"
    old = path.read_text(encoding="utf-8") if path.is_file() else "# Evaluation report\n"
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


def fmt(value: Any) -> str:
    """Shares with three decimals, counts as they are, missing as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _cell(value: Any) -> str:
    return fmt(value).replace("|", "\\|").replace("\n", " ")


def row(cells: Sequence[Any]) -> str:
    """One table line; each cell through fmt, a "|" in it escaped."""
    return "| " + " | ".join(_cell(v) for v in cells) + " |"


def rule(align: str) -> str:
    """The line under the header: "l" left-aligns a column (text), "r" right-aligns it (figures)."""
    return "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"


def table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, left: int = 1, align: str | None = None
) -> str:
    """A Markdown table; the first `left` columns are left-aligned, the rest right-aligned, unless `align` says."""
    align = align or "l" * left + "r" * (len(header) - left)
    return "\n".join([row(header), rule(align), *(row(r) for r in rows)])
