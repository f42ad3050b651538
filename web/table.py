"""A question across reports in the web chat: the chart and the CSV file of the last answer's table.

The table itself is HTML inside the reply (web.view.render_table); these sit under the chat.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

from qa.types import NOT_STATED, Table

CSV_COLUMNS = ("地区", "年份", "数字（原文）", "数值", "单位", "报告", "段落编号", "原文句子")


def chart_data(table: Table | None) -> tuple[str | None, Any]:
    """What to draw for a table: ("line", frame) for a series of years, ("bar", frame) otherwise, (None, None)
    when fewer than two figures in one unit can be drawn. Figures in other units than the first are left out."""
    if table is None:
        return None, None
    import pandas as pd  # the web shell's own dependency, with gradio

    stated = [r for r in table.rows if r.value is not None]
    if not stated:
        return None, None
    unit = stated[0].unit
    stated = [r for r in stated if r.unit == unit]
    y = f"数值（{unit}）" if unit else "数值"
    if table.mode in ("series", "growth"):
        dated = [r for r in stated if r.year]
        if len(dated) >= 2:
            frame = pd.DataFrame(
                {
                    "年份": [int(r.year) for r in dated],
                    y: [r.value for r in dated],
                    "地区": [r.place for r in dated],
                }
            )
            return "line", frame
    if len(stated) < 2 and table.mode != "superlative":
        return None, None
    labels = [f"{r.place} {r.year}年" if r.year else r.place for r in stated]
    labels = [
        label if labels.count(label) == 1 else f"{label} ({r.source})"
        for label, r in zip(labels, stated, strict=True)
    ]
    return "bar", pd.DataFrame({"报告": labels, y: [r.value for r in stated]})


def csv_text(table: Table) -> str:
    """The table as CSV (UTF-8 with a BOM on writing, so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((table.label or CSV_COLUMNS[0], *CSV_COLUMNS[1:]))
    for r in table.rows:
        writer.writerow(
            [
                r.place,
                r.year or "",
                r.answer if r.answer is not None else NOT_STATED,
                "" if r.value is None else f"{r.value:g}",
                r.unit or "",
                r.source or "",
                r.passage_id or "",
                r.sentence or "",
            ]
        )
    return out.getvalue()


def write_csv(table: Table, folder: Path) -> Path:
    """Write the table's CSV into `folder` under a name from its content; the path."""
    text = csv_text(table)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table.measure[:20]}-{digest}.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def chart_updates(session: Any, folder: Path) -> tuple[Any, Any, Any]:
    """The bar chart, the line chart and the CSV button for the session's last answer (hidden without a table)."""
    import gradio as gr

    table = getattr(getattr(session, "last", None), "table", None)
    kind, frame = chart_data(table)
    hidden = gr.update(visible=False, value=None)
    bar = (
        gr.update(visible=True, value=frame, x=frame.columns[0], y=frame.columns[1])
        if kind == "bar"
        else hidden
    )
    line = (
        gr.update(visible=True, value=frame, x="年份", y=frame.columns[1], color="地区")
        if kind == "line"
        else hidden
    )
    has_rows = table is not None and any(r.answer is not None for r in table.rows)
    button = (
        gr.update(visible=True, value=str(write_csv(table, folder))) if has_rows else gr.update(visible=False)
    )
    return bar, line, button
