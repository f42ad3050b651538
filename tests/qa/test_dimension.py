"""A figure answers only a question about what it measures: a length is no answer to how large a piece of land is."""

from __future__ import annotations

import pytest

from index.text import figures
from qa.dimension import asked_dimensions, fits
from qa.question import parse
from tests import documents as docs


@pytest.mark.parametrize(
    ("unit", "measures"),
    [
        ("平方公里", "area"), ("亩", "area"), ("km²", "area"), ("立方米", "volume"), ("微米", "length"),
        ("um", "length"), ("公里", "length"), ("吨", "mass"), ("mg", "mass"), ("千瓦时", "energy"),
        ("kWh", "energy"), ("GW", "power"), ("元", None), ("个", None), ("%", None), ("年", None),
    ],
)  # fmt: skip
def test_a_units_dimension_comes_from_how_it_is_built(unit, measures):
    assert figures.dimension(unit) == measures


@pytest.mark.parametrize(
    ("question", "answer", "fit"),
    [
        ("一两黄金打成的金箔能铺多大一块地？", "0.11微米", False),  # 多大 asks no length
        ("新区面积有多大", "120公里", False),
        ("新区面积有多大", "120平方公里", True),
        ("金刚线母线直径是多少", "80um", True),
        ("直径多大", "3毫米", True),
        ("城乡建设用地减量约多少", "约8平方公里", True),  # names no dimension: anything measured goes
        ("细颗粒物年均浓度是多少", "32微克/立方米", True),  # a rate is neither a mass nor a volume
        ("新建绿道多少公里", "12公顷", False),
        ("产量有多大", "30万吨", True),
        ("会员有多少人", "3.2万人", True),
    ],
)
def test_a_figure_fits_a_question_when_it_measures_what_is_asked(question, answer, fit):
    assert fits(parse(question), answer) is fit


def test_a_question_names_its_dimension_by_unit_or_by_quantity():
    assert asked_dimensions(parse("项目建设多少千米绿道")) == {"length"}
    assert asked_dimensions(parse("公园占地多少")) == {"area"}
    assert asked_dimensions(parse("工会会员有多少")) == set()


def test_a_length_in_the_report_is_not_given_as_the_size_of_a_piece_of_land(tmp_path, embedder):
    from index.build import build_index
    from qa import Assistant

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    docs.make_pdf(
        seeds / "craft.pdf",
        title="永安市总工会2023年职工技能竞赛情况",
        paragraphs=[
            "永安市总工会2023年举办金箔锻制技能竞赛，一等奖选手把一两黄金锻打成金箔，金箔厚度仅0.11微米。",
            "竞赛共有86名职工参加，评出一等奖3名、二等奖6名。",
        ],
    )
    build_index(seeds, tmp_path / "idx", embedder=embedder, quiet=True)
    assistant = Assistant.load(tmp_path / "idx", embedder=embedder, seeds_dir=seeds)
    assert assistant.ask("一两黄金锻打成的金箔能铺多大一块地", k=2).answer != "0.11微米"
    assert assistant.ask("金箔厚度是多少", k=2).answer == "0.11微米"
