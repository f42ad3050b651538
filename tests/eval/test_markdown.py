"""The one Markdown table writer: alignment, cell formatting and escaping."""

from eval.markdown import row, rule, table


def test_text_columns_align_left_figures_right_and_cells_are_escaped():
    got = table(["report", "share", "n"], [["宁德|福安", 0.12345, None], ["龙岩", 1.0, 7]])
    assert got.splitlines() == [
        "| report | share | n |",
        "|:---|---:|---:|",
        "| 宁德\\|福安 | 0.123 | – |",
        "| 龙岩 | 1.000 | 7 |",
    ]
    assert table(["a", "b", "c"], [], align="lrl").splitlines()[1] == "|:---|---:|:---|"
    assert row(["x", 2]) == "| x | 2 |" and rule("lr") == "|:---|---:|"
