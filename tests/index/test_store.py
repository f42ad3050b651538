"""The on-disk index with the real model and real FAISS: bad input, manifest checks, atomic and incremental builds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sample_reports import REPORT_A, REPORT_B, REPORT_C

from index.build import build_index, builds_dir
from index.corpus import build_passages
from index.errors import IndexCorruptError, IndexMissingError, IndexStaleError, SeedError
from index.loaded import Index
from index.manifest import read_manifest
from index.readers.read import decode_report

ROOT = Path(__file__).resolve().parents[2]


def _seeds(tmp_path: Path, **files: str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    for name, text in files.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return seeds


# --- reading files ----------------------------------------------------------------------------------
def test_gbk_and_bom_files_are_read(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes(REPORT_A.encode("gbk"))
    (seeds / "b.txt").write_bytes(b"\xef\xbb\xbf" + REPORT_B.encode("utf-8"))
    passages, report = build_passages(seeds)
    assert report.files == ["a.txt", "b.txt"] and not report.skipped
    assert any("14690家" in p.text and p.city == "南平" for p in passages)
    assert any(p.text.startswith("2018年") and p.city == "龙岩" for p in passages)


def test_empty_and_binary_files_are_skipped_by_name(tmp_path):
    seeds = _seeds(tmp_path, **{"good.txt": REPORT_A})
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "blob.txt").write_bytes(bytes(range(256)) * 4)
    passages, report = build_passages(seeds)
    skipped = dict(report.skipped)
    assert set(skipped) == {"empty.txt", "blob.txt"}
    assert "empty" in skipped["empty.txt"] and "binary" in skipped["blob.txt"]
    assert passages


def test_missing_or_empty_seeds_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SeedError, match="does not exist"):
        build_passages(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SeedError, match="holds no reports"):
        build_passages(tmp_path / "empty")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"")
    with pytest.raises(SeedError, match="no readable report"):
        build_passages(bad)


def test_decode_refuses_undecodable_bytes():
    with pytest.raises(Exception, match="neither UTF-8 nor GB18030"):
        decode_report(b"\x81\x30\x81", "odd.txt")


# --- building and loading -----------------------------------------------------------------------------
def test_build_writes_one_checked_directory_without_pickle(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A, "b.txt": REPORT_B})
    target = tmp_path / "idx"
    summary = build_index(seeds, target, embedder=embedder, quiet=True)
    assert summary.embedded == summary.corpus.passages > 0
    names = {p.relative_to(target.resolve()).as_posix() for p in target.resolve().rglob("*") if p.is_file()}
    assert {"dense.faiss", "passages.jsonl", "manifest.json"} <= names
    assert not [n for n in names if n.endswith((".pkl", ".pickle", ".joblib"))]
    manifest = read_manifest(target)
    assert manifest["model"]["name"] == "m3e-small" and manifest["model"]["dim"] == 512
    assert set(manifest["sources"]) == {"a.txt", "b.txt"}
    index = Index.load(target, model_sha256=embedder.sha256, seeds_dir=seeds)
    assert len(index) == summary.corpus.passages
    rows = index.rows_for(city="龙岩")
    hits = index.store.search_dense(embedder.encode_query("龙岩提供了多少就业岗位"), 5, rows)
    assert hits and all(index.passages[r].city == "龙岩" for r, _ in hits)
    assert all(
        r >= 0 for r, _ in index.store.search_dense(embedder.encode_query("工会"), 50)
    )  # no -1 padding


def test_incremental_rebuild_embeds_only_new_passages(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A, "b.txt": REPORT_B})
    target = tmp_path / "idx"
    first = build_index(seeds, target, embedder=embedder, quiet=True)
    again = build_index(seeds, target, embedder=embedder, quiet=True)
    assert again.embedded == 0 and again.reused == first.corpus.passages
    (seeds / "c.txt").write_text(REPORT_C, encoding="utf-8")
    with pytest.raises(IndexStaleError, match="c.txt is new"):
        Index.load(target, seeds_dir=seeds)
    third = build_index(seeds, target, embedder=embedder, quiet=True)
    assert third.reused == first.corpus.passages
    assert third.embedded == third.corpus.passages - first.corpus.passages > 0
    Index.load(target, seeds_dir=seeds)
    assert len([p for p in builds_dir(target).iterdir() if p.is_dir()]) == 1  # old builds are cleaned up


def test_manifest_checks_name_the_file_and_the_fix(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "idx"
    with pytest.raises(IndexMissingError, match="python -m index build"):
        Index.load(target)
    build_index(seeds, target, embedder=embedder, quiet=True)
    real = target.resolve()

    (seeds / "a.txt").write_text(REPORT_A + "\n新增一段。\n", encoding="utf-8")
    with pytest.raises(IndexStaleError, match="a.txt changed"):
        Index.load(target, seeds_dir=seeds)
    with pytest.raises(IndexStaleError, match="not the model loaded now"):
        Index.load(target, model_sha256="0" * 64)

    passages = real / "passages.jsonl"
    data = passages.read_bytes()
    passages.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorruptError, match="passages.jsonl.*truncated"):
        Index.load(target)
    passages.write_bytes(data[:-3] + b"XYZ")
    with pytest.raises(IndexCorruptError, match="passages.jsonl fails its sha256"):
        Index.load(target)
    passages.write_bytes(data)
    (real / "dense.faiss").unlink()
    with pytest.raises(IndexCorruptError, match="dense.faiss is missing"):
        Index.load(target)


def test_a_different_model_folder_makes_the_index_stale(tmp_path, embedder):
    from index.encode.embedder import Embedder

    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "idx"
    build_index(seeds, target, embedder=embedder, quiet=True)
    other = tmp_path / "other-model"
    shutil.copytree(embedder.path, other)
    weights = next(p for p in other.iterdir() if p.name in ("pytorch_model.bin", "model.safetensors"))
    with weights.open("ab") as fh:
        fh.write(b"\0")  # other weights: a different sha256
    with pytest.raises(IndexStaleError, match="built with model m3e-small"):
        Index.load(target, model_sha256=Embedder.load(other).sha256)


def test_a_killed_build_leaves_the_previous_index_usable(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "idx"
    build_index(seeds, target, embedder=embedder, quiet=True)
    before = [p.text for p in Index.load(target).passages]
    for name, text in (("b.txt", REPORT_B), ("c.txt", REPORT_C)):
        (seeds / name).write_text(text * 3, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    outcomes = []
    # Kills at a few moments of the build; the first while Python is still importing. 1.5 s was that once, but
    # a build that needs no torch (the ONNX encoder) finished within 1.5 s in a fresh clone's CI run.
    for delay in (0.3, 1.5, 4.0, 7.0):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "index",
                "build",
                "--seeds",
                str(seeds),
                "--index-dir",
                str(target),
                "--quiet",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        index = Index.load(target)  # whatever moment it died, an index loads and passes its checks
        texts = [p.text for p in index.passages]
        complete = {p.source for p in index.passages} == {"a.txt", "b.txt", "c.txt"}
        assert texts == before or complete  # the old index, or the whole new one: never a mix
        outcomes.append("old" if texts == before else "new")
    assert outcomes[0] == "old"  # 0.3 s is still importing: that kill must leave the old index
    after = build_index(seeds, target, embedder=embedder, quiet=True)
    assert {p.source for p in Index.load(target, seeds_dir=seeds).passages} == {"a.txt", "b.txt", "c.txt"}
    assert after.corpus.passages > len(before)
