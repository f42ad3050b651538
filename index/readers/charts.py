"""A chart's axis labels on a PDF page: runs of bare numbers, percentages or months evenly spaced beside a drawing.

Word and WPS export a chart as drawing paths with its tick labels as text: a column `380% 360% … -60%` beside
the plot, a row `2021-07 2021-11 2022-03` under it. Read as lines they became paragraphs of a number alone,
and the repair step glued them into sentences (`…证券分析师高测股份380%360%340%沪深300300%`, a real research
report, eval/READERS.md). A run is an axis when its values step evenly (380, 360, 340: the same difference)
and so do their positions, and it sits inside or beside a drawing (curves, images, filled boxes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.figures import YEAR
from .lines import Line

_NUMBER_TICK = re.compile(r"^[-+−]?\d+(?:,\d{3})*(?:\.\d+)?%?$")
_MONTH_TICK = re.compile(rf"^({YEAR})[-/.年](0?[1-9]|1[0-2])月?$")
MIN_TICKS = 3  # fewer labels do not show an even step
STEP_TOLERANCE = 0.2  # positions' steps within a fifth of their median (the research report's: 2.9 ± 0.05 pt)
NEAR_DRAWING = 2.0  # body font sizes between the labels and the drawing they annotate (measured: 0.6-0.9)

Box = tuple[float, float, float, float]


def tick_value(token: str) -> float | None:
    """The value of one axis label (380% -> 380, 1,200 -> 1200, 2021-07 -> months since year 0), None if it is
    not a bare number, percentage or month."""
    token = token.strip().replace("−", "-")
    if _NUMBER_TICK.match(token):
        return float(token.rstrip("%").replace(",", ""))
    month = _MONTH_TICK.match(token)
    if month:
        return int(month.group(1)) * 12 + int(month.group(2))
    return None


def _even(values: Sequence[float], positions: Sequence[float]) -> bool:
    """Values in one arithmetic step (not zero) at positions in one step."""
    value_steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    if not value_steps or value_steps[0] == 0:
        return False
    if any(abs(d - value_steps[0]) > 1e-6 * max(1.0, abs(value_steps[0])) for d in value_steps):
        return False
    steps = sorted(b - a for a, b in zip(positions, positions[1:], strict=False))
    median = steps[len(steps) // 2]
    return median > 0 and all(abs(s - median) <= STEP_TOLERANCE * median + 0.5 for s in steps)


def _runs(items: list[tuple[float, float, int]]) -> list[list[int]]:
    """Maximal runs of (position, value, line) in position order whose values and positions step evenly."""
    out: list[list[int]] = []
    i = 0
    while i < len(items) - 1:
        j = i + 2
        while j <= len(items) and _even([v for _, v, _ in items[i:j]], [p for p, _, _ in items[i:j]]):
            j += 1
        run = items[i : j - 1]
        if len(run) >= MIN_TICKS:
            out.append([k for _, _, k in run])
            i = j - 1
        else:
            i += 1
    return out


def _near(box: Box, drawings: Sequence[Box], reach: float) -> bool:
    x0, top, x1, bottom = box
    return any(
        max(d[0] - x1, x0 - d[2], 0.0) <= reach and max(d[1] - bottom, top - d[3], 0.0) <= reach
        for d in drawings
    )


def axis_lines(lines: Sequence[Line], drawings: Sequence[Box], size: float) -> set[int]:
    """Indexes of the lines that are a chart's axis labels: a column of one label a line (aligned on their right
    or left edge), a row of labels, or one line of three or more labels, stepping evenly beside a drawing."""
    if not drawings:
        return set()
    single: list[int] = []
    out: set[int] = set()
    reach = NEAR_DRAWING * size
    for i, line in enumerate(lines):
        tokens = line.text.split()
        values = [tick_value(t) for t in tokens]
        if not tokens or any(v is None for v in values):
            continue
        if len(tokens) == 1:
            single.append(i)
        elif (
            len(tokens) >= MIN_TICKS
            and _even(values, range(len(values)))  # type: ignore[arg-type]
            and _near((line.x0, line.top, line.x1, line.bottom), drawings, reach)
        ):
            out.add(i)  # `0 20 40 60 80`: one line of labels only
    value = {i: tick_value(lines[i].text) for i in single}
    groups: list[list[tuple[float, float, int]]] = []
    # Columns: labels sharing a right edge (numbers are right-aligned at the axis) or a left edge.
    for edge in ("x1", "x0"):
        by_edge: dict[int, list[int]] = {}
        for i in single:
            by_edge.setdefault(round(getattr(lines[i], edge) / 2), []).append(i)
        groups.extend(
            sorted(((lines[i].top, value[i], i) for i in members), key=lambda t: t[0])
            for members in by_edge.values()
        )
    # Rows: labels on one line of the page, by their centres.
    rows: list[list[int]] = []
    for i in sorted(single, key=lambda i: lines[i].top):
        if rows and lines[i].top - lines[rows[-1][0]].top <= 0.5 * lines[i].size:
            rows[-1].append(i)
        else:
            rows.append([i])
    groups.extend(sorted(((lines[i].x0 + lines[i].x1) / 2, value[i], i) for i in row) for row in rows)
    for group in groups:
        for run in _runs(group):
            box = (
                min(lines[i].x0 for i in run),
                min(lines[i].top for i in run),
                max(lines[i].x1 for i in run),
                max(lines[i].bottom for i in run),
            )
            if _near(box, drawings, reach):
                out.update(run)
    return out


def drawing_boxes(page, exclude: Sequence[Box] = ()) -> list[Box]:
    """A pdfplumber page's drawings that a chart is made of: curves, images and filled boxes (bars), not rules
    (a table's borders are thin rectangles and lines), nor anything inside a ruled table's box, nor a box
    over half the page (a scan under its text layer, a page's background: every line would be beside it)."""
    boxes: list[Box] = []
    page_area = float(page.width) * float(page.height)
    for obj in (*page.curves, *page.images, *page.rects):
        box = (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))
        if obj.get("object_type") == "rect" and min(box[2] - box[0], box[3] - box[1]) < 2:
            continue
        if (box[2] - box[0]) * (box[3] - box[1]) > 0.5 * page_area:
            continue
        if any(e[0] <= box[0] and e[1] <= box[1] and box[2] <= e[2] and box[3] <= e[3] for e in exclude):
            continue
        boxes.append(box)
    return boxes
