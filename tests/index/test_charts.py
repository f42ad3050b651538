"""A chart's axis labels: runs of evenly stepping numbers beside a drawing, and nothing else."""

from __future__ import annotations

from types import SimpleNamespace

from index.readers.charts import axis_lines, drawing_boxes, tick_value
from index.readers.lines import Line


def _column(values: list[str], x1: float = 45.0, top: float = 300.0, step: float = 2.9) -> list[Line]:
    return [
        Line(x1 - 5 * len(v), top + step * k, x1, top + step * k + 7, v, 7.0) for k, v in enumerate(values)
    ]


def test_tick_values():
    assert [tick_value(t) for t in ("380%", "-20%", "1,200", "2021-07", "0.5")] == [
        380,
        -20,
        1200,
        2021 * 12 + 7,
        0.5,
    ]
    assert tick_value("高测股份") is None and tick_value("2022E") is None


def test_an_evenly_stepping_column_beside_a_drawing_is_an_axis_and_nothing_else_is():
    plot = [(51.0, 300.0, 174.0, 370.0)]
    ticks = _column([f"{v}%" for v in range(100, -40, -20)])
    assert axis_lines(ticks, plot, 10.0) == set(range(len(ticks)))
    assert axis_lines(ticks, [], 10.0) == set()  # no drawing: a list of figures, kept
    assert axis_lines(ticks, [(400.0, 600.0, 500.0, 700.0)], 10.0) == set()  # a drawing elsewhere on the page
    labels = _column(["52", "48", "39.1", "37.6", "36.9"])  # a chart's data labels do not step evenly
    assert axis_lines(labels, plot, 10.0) == set()
    uneven = [
        Line(30, 300 + t, 45, 307 + t, v, 7.0) for t, v in ((0, "10"), (3, "20"), (20, "30"), (23, "40"))
    ]
    assert axis_lines(uneven, plot, 10.0) == set()  # even values at uneven places


def test_a_row_of_months_and_one_line_of_labels_are_axes():
    plot = [(51.0, 300.0, 174.0, 370.0)]
    months = [
        Line(40 + 41 * k, 380, 62 + 41 * k, 386, m, 6.5)
        for k, m in enumerate(("2021-07", "2021-11", "2022-03"))
    ]
    scale = [Line(60, 372, 170, 379, "0 20 40 60 80", 7.0)]
    assert axis_lines(months + scale, plot, 10.0) == {0, 1, 2, 3}


def test_a_background_image_or_a_table_rule_is_no_chart():
    def obj(kind, x0, top, x1, bottom):
        return {"object_type": kind, "x0": x0, "top": top, "x1": x1, "bottom": bottom}

    page = SimpleNamespace(
        width=595.0,
        height=842.0,
        images=[obj("image", 0, 0, 595, 842)],  # a scan under its text layer
        rects=[obj("rect", 50, 100, 550, 100.5), obj("rect", 120, 400, 150, 440)],  # a rule, a bar
        curves=[obj("curve", 60, 500, 200, 560)],
    )
    assert drawing_boxes(page) == [(60.0, 500.0, 200.0, 560.0), (120.0, 400.0, 150.0, 440.0)]
    assert drawing_boxes(page, [(50, 380, 300, 600)]) == []  # inside a ruled table's box
