"""The retriever: hybrid legs, city filters, configurations, and the CLI over the real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import RetrievalConfig, Retriever

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def retriever(index_dir, embedder):
    return Retriever.load(index_dir, embedder=embedder)


def test_search_returns_scored_passages_best_first(retriever):
    hits = retriever.search("南平工会组建率是多少", k=10)
    assert len(hits) == 10
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].passage.city == "南平" and "95%以上" in hits[0].passage.text
    assert set(hits[0].legs) == {"dense", "keyword"}
    assert "组建率" in hits[0].matched


def test_city_argument_restricts_results(retriever):
    hits = retriever.search("工会组建率是多少", k=5, city="衢州")
    assert hits and all(h.passage.city == "衢州" for h in hits)


def test_each_configuration_runs(retriever):
    for config in (
        RetrievalConfig(dense=True, keyword=False, city_aware=False),
        RetrievalConfig(dense=False, keyword=True, city_aware=False),
        RetrievalConfig(fusion="rrf"),
    ):
        hits = retriever.with_config(config).search("龙岩医疗互助", k=3)
        assert hits and all(h.row >= 0 for h in hits)


def test_k_is_bounded(retriever):
    with pytest.raises(ValueError, match="outside 1.."):
        retriever.search("工会", k=0)


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


def test_cli_prints_the_answer_and_numbered_citations(index_dir):
    done = _cli("南平工会组建率是多少", "--index-dir", str(index_dir), "--k", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("答：95%以上")
    assert "[1]" in done.stdout and "[2]" in done.stdout and "【95%以上】" in done.stdout


def test_cli_json_and_stdin_chat(index_dir):
    done = _cli("--index-dir", str(index_dir), "--json", stdin="南平工会组建率是多少\n那衢州呢\n")
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.strip().splitlines())
    assert first["answer"] == "95%以上"
    assert second["citations"][0]["city"] == "衢州"


def test_cli_reports_bad_input_in_one_line(index_dir):
    done = _cli("  ", "--index-dir", str(index_dir))
    assert (
        done.returncode == 2 and "error: question is empty" in done.stderr and "Traceback" not in done.stderr
    )
