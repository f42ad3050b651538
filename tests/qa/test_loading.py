"""Assistant.load builds a missing index and rebuilds a stale one from the seeds it was built from; warm-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sample_reports import REPORT_A, REPORT_B

from qa import Assistant

ROOT = Path(__file__).resolve().parents[2]


def test_missing_index_is_built_and_a_stale_one_rebuilt(tmp_path, embedder):
    seeds = tmp_path / "reports"
    seeds.mkdir()
    (seeds / "nanping.txt").write_text(REPORT_A, encoding="utf-8")
    target = tmp_path / "idx"
    first = Assistant.load(target, embedder=embedder, seeds_dir=seeds, build_if_missing=True)
    assert first.ask("南平工会组建率是多少", k=2).answer == "95%以上"
    assert first.cities() == ["南平"]

    (seeds / "longyan.txt").write_text(REPORT_B, encoding="utf-8")
    second = Assistant.load(
        target, embedder=embedder, build_if_missing=True
    )  # the manifest remembers which seeds it came from
    assert second.cities() == ["南平", "龙岩"]
    assert second.ask("龙岩2018年为多少万人提供就业服务", k=2).answer.startswith("6.8万")


def test_warm_up_loads_the_readers_alongside_the_index_and_leaves_no_thread(index_dir, tmp_path):
    # A fresh interpreter, so that nothing is loaded before Assistant.load is asked to warm up.
    code = f"""
import json, threading
from index.places import matcher as places
from index.text import normalise as textnorm
from qa import Assistant, lexical
from index.errors import IndexMissingError

try:
    Assistant.load({str(tmp_path / "missing")!r}, warm_up=True)
    missing = "loaded"
except IndexMissingError:
    missing = "IndexMissingError"
threads_after_failure = threading.active_count()
assistant = Assistant.load({str(index_dir)!r}, warm_up=True)
loaded = [f.cache_info().currsize for f in (textnorm.segmenter, places._matcher, lexical._analyser)]
print(json.dumps({{"missing": missing, "threads": [threads_after_failure, threading.active_count()],
                  "loaded": loaded, "answer": assistant.ask("南平工会组建率是多少").answer}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(Path.home()),
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
        },
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["missing"] == "IndexMissingError"  # the index's error, with the readers' thread joined
    assert out["threads"] == [1, 1]
    assert out["loaded"] == [1, 1, 1]
    assert out["answer"] == "95%以上"
