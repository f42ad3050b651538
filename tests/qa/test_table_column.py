"""A question over a column of a report's table: the column as a table of its rows, a superlative read from it,
the rows a question names; a question about one row still gets its cell. The report is a Word file written
here: real places (尤溪县 and its towns), invented figures; a second report without a table beside it."""

from __future__ import annotations

import pytest

from tests.sample_reports import REPORT_A

TOWNS = (
    ("乡镇", "基层工会数", "会员人数", "组建率"),
    ("城关镇", "52家", "6120人", "91.4%"),
    ("西城镇", "33家", "2875人", "96.2%"),
    ("洋中镇", "27家", "1930人", "87.5%"),
    ("管前镇", "19家", "1204人", "89.9%"),
)

# Figures without units under year columns, the unit in the row head: the cell is read by its row and column.
AID = (
    ("项目", "2021年", "2022年", "2023年"),
    ("帮扶困难职工(人)", "412", "388", "365"),
    ("发放慰问金(万元)", "86.5", "92.0", "97.3"),
)


@pytest.fixture(scope="module")
def youxi(tmp_path_factory, embedder):
    import docx

    from index.build import build_index
    from qa import Assistant

    root = tmp_path_factory.mktemp("column")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    document = docx.Document()
    document.add_heading("尤溪县总工会2023年工作报告", level=0)
    document.add_paragraph(
        "2023年，尤溪县总工会团结带领全县职工，推进基层工会规范化建设，服务职工水平不断提高。"
    )
    document.add_paragraph("尤溪县各乡镇工会组建情况")
    grid = document.add_table(rows=len(TOWNS), cols=len(TOWNS[0]))
    for r, row in enumerate(TOWNS):
        for c, cell in enumerate(row):
            grid.cell(r, c).text = cell
    document.add_paragraph("尤溪县职工帮扶情况")
    grid = document.add_table(rows=len(AID), cols=len(AID[0]))
    for r, row in enumerate(AID):
        for c, cell in enumerate(row):
            grid.cell(r, c).text = cell
    document.add_paragraph("下一步，尤溪县总工会将推动新就业形态劳动者入会，年内新发展会员1500人。")
    document.save(str(seeds / "尤溪.docx"))
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder, seeds_dir=seeds)


def _cells(answer) -> list[tuple[str, str]]:
    return [(r.place, r.answer) for r in answer.table.rows]


def test_a_question_over_every_row_gets_the_column_in_the_tables_order(youxi):
    answer = youxi.ask("尤溪县各乡镇的工会组建率是多少")
    assert answer.table is not None and answer.table.label == "乡镇"
    assert _cells(answer) == [
        ("城关镇", "91.4%"),
        ("西城镇", "96.2%"),
        ("洋中镇", "87.5%"),
        ("管前镇", "89.9%"),
    ]
    # Each row cites its own passage, the span on its figure.
    for row in answer.table.rows:
        passage = youxi.index.by_id(row.passage_id)
        assert passage.source == "尤溪.docx"
        assert passage.text[row.span[0] : row.span[1]] == row.answer
        assert row.place in passage.text
    assert len(answer.citations) == 4


def test_a_superlative_over_the_rows_is_read_from_the_column(youxi):
    most = youxi.ask("哪个乡镇的会员人数最多")
    assert most.answer == "城关镇（6120人）" and most.table.best == ("城关镇",)
    least = youxi.ask("哪个乡镇工会组建率最低")
    assert least.answer == "洋中镇（87.5%）"


def test_the_rows_a_question_names_are_the_ones_given(youxi):
    answer = youxi.ask("西城镇和管前镇的基层工会分别有多少家")
    assert _cells(answer) == [("西城镇", "33家"), ("管前镇", "19家")]


def test_a_question_about_one_row_gets_its_cell_not_a_table(youxi):
    answer = youxi.ask("尤溪县洋中镇的工会组建率是多少")
    assert answer.table is None and answer.answer == "87.5%"


def test_a_column_no_table_holds_gets_no_table_of_it(youxi):
    answer = youxi.ask("各乡镇的职工书屋有多少个")
    assert answer.table is None or all(r.answer is None for r in answer.table.rows)


def test_the_chat_and_the_csv_label_the_rows_as_the_question_does(youxi):
    from web.table import csv_text
    from web.view import render_table

    table = youxi.ask("各乡镇组建率").table
    assert "<th>乡镇</th>" in render_table(table)
    assert csv_text(table).splitlines()[0].startswith("乡镇,年份")


def test_a_cell_is_read_by_the_row_and_the_column_the_question_names(youxi):
    answer = youxi.ask("尤溪县2022年发放慰问金多少万元")
    assert answer.answer == "92.0"
    cited = answer.citations[0]
    assert "发放慰问金" in cited.text and cited.source == "尤溪.docx"
    assert youxi.ask("2023年帮扶困难职工多少人").answer == "365"
