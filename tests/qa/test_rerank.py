"""The passage reranker (qa/rerank.py) with its shipped weights, on a short report written here.

Real place names, invented figures: a paraphrase whose evidence shares few words with the question, beside a
passage that shares more of them but holds no figure in the asked unit.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.passage import Passage
from qa.question import parse
from qa.rerank import Reranker, features

QUANZHOU = """守护职工的娘家人

——福建省泉州市工会工作纪实

泉州市总工会关心职工孩子的成长，组织职工孩子参加暑期夏令营和亲子阅读活动。

2021年，泉州市总工会安排专项资金420万元，为职工孩子开展课后托管服务，覆盖全市86所学校。

泉州市总工会全年走访慰问困难职工2300户，发放慰问金310万元。
"""


def _passage(text: str) -> Passage:
    return Passage("x-p001-0", "x.txt", "t", "泉州", 2021, 1, "paragraph", text)


def test_a_figure_in_the_asked_unit_counts_for_a_passage():
    reranker = Reranker.load()
    q = parse("泉州工会花了多少钱照看职工的孩子？")
    common = dict(keyword=0.8, dense=0.5, fused=0.8, rank=1, weight=lambda t: 1.0)
    with_money = features(q, _passage("工会安排专项资金420万元开展职工孩子托管。"), **common)
    without = features(q, _passage("工会组织职工孩子参加暑期夏令营和亲子阅读。"), **common)
    assert with_money["figure_in_unit"] == 1.0 and without.get("figure_in_unit", 0.0) == 0.0
    assert reranker.score(with_money) > reranker.score(without)


@pytest.fixture(scope="module")
def quanzhou(tmp_path_factory, embedder):
    from index.build import build_index
    from qa import Assistant

    root = tmp_path_factory.mktemp("rerank")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "104_quanzhou.txt").write_text(QUANZHOU, encoding="utf-8")
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder, seeds_dir=seeds)


def test_reranked_search_puts_the_paraphrased_evidence_first(quanzhou):
    question = "泉州工会花了多少钱照看职工的孩子？"
    fused = quanzhou.retriever.with_config(replace(quanzhou.retriever.config, rerank=False))
    assert "420万元" not in fused.search(question, 3)[0].passage.text  # the words alone pick the camp
    assert "420万元" in quanzhou.retriever.search(question, 3)[0].passage.text
    assert "420万元" in (quanzhou.ask(question, k=3).answer or "")
