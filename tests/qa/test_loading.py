"""Assistant.load builds a missing index and rebuilds a stale one from the seeds it was built from; warm-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
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


def _python(*args: str) -> subprocess.CompletedProcess:
    """This Python on the project in a fresh process with a bare environment (offline, no inherited settings)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env
    )


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
    done = _python("-c", code)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["missing"] == "IndexMissingError"  # the index's error, with the readers' thread joined
    assert out["threads"] == [1, 1]
    assert out["loaded"] == [1, 1, 1]
    assert out["answer"] == "95%以上"


@contextmanager
def _read_only(folder: Path):
    """folder and its files made unwritable, for root too (chattr +i) when the tests run as root."""
    paths = [folder, *folder.iterdir()]
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make a folder read-only for root here: {done.stderr.strip()}")
        undo = ["chattr", "-i", *map(str, paths)]
    else:
        for path in paths:
            path.chmod(path.stat().st_mode & ~0o222)
        undo = ["chmod", "-R", "u+w", str(folder)]
    try:
        yield
    finally:
        subprocess.run(undo, check=True)


def test_a_read_only_stale_index_answers_as_built_with_one_line_not_a_traceback(tmp_path, embedder):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "nanping.txt").write_text(REPORT_A, encoding="utf-8")
    target = tmp_path / "idx"
    Assistant.load(target, embedder=embedder, build_if_missing=True, seeds_dir=seeds)
    (seeds / "longyan.txt").write_text(REPORT_B, encoding="utf-8")  # the seeds change after the build
    with _read_only(tmp_path / ".idx.builds"):
        done = _python("-m", "qa", "--index-dir", str(target), "--k", "2", "南平工会组建率是多少")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    (line,) = [text for text in done.stderr.splitlines() if text.strip()]
    assert "cannot be rebuilt" in line and "build.lock" in line and "as it was built" in line
    assert "95%以上" in done.stdout
