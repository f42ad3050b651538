"""Reports are regular files only (no symbolic link is followed, no device or fifo opened) and their stored names
fit the file system's 255 bytes with the suffix kept (real model, real FAISS)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sample_reports import REPORT_A, REPORT_B

from index.__main__ import main
from index.build import build_index
from index.errors import ReportNameError, ReportReadError
from index.loaded import Index
from index.places.metadata import make_meta
from index.readers.read import read_report_bytes
from index.reports import NAME_MAX_BYTES, add_reports, check_new_name, safe_name


@pytest.fixture()
def small_index(tmp_path, embedder):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    index_dir = tmp_path / "idx"
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    return seeds, index_dir


def _within(seconds: float, fn, *args):
    """fn(*args) on a daemon thread; its result, or None when it has not returned within seconds."""
    result = []
    thread = threading.Thread(target=lambda: result.append(fn(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0] if result else None


def test_add_refuses_a_symlink_a_fifo_and_a_device_in_one_line(small_index, tmp_path, capsys):
    seeds, index_dir = small_index
    secret = tmp_path / "secret.txt"
    secret.write_text(REPORT_B, encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to("/etc/passwd")
    inner = tmp_path / "inner.txt"
    inner.symlink_to(secret)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    before = (
        sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")),
        (index_dir / "manifest.json").read_bytes(),
    )
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    for bad, words in ((link, "symbolic link"), (inner, "symbolic link"), (fifo, "not a regular file"),
                       (Path("/dev/zero"), "not a regular file"), (tmp_path, "not a regular file")):  # fmt: skip
        result = _within(30, main, ["add", str(bad), "--place", "南平", *where])
        assert result is not None, f"add {bad} hung"
        err = capsys.readouterr().err
        assert result == 2 and words in err and len(err.strip().splitlines()) == 1, err
    assert (
        sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")),
        (index_dir / "manifest.json").read_bytes(),
    ) == before


def test_a_symlink_in_the_seeds_folder_is_left_out_of_the_build(small_index, embedder, tmp_path):
    seeds, index_dir = small_index
    (seeds / "passwd.txt").symlink_to("/etc/passwd")
    summary = build_index(seeds, index_dir, embedder=embedder, quiet=True)
    assert "passwd.txt" in dict(summary.corpus.skipped)
    assert "symbolic link" in dict(summary.corpus.skipped)["passwd.txt"]
    assert {p.source for p in Index.load(index_dir).passages} == {"a.txt"}
    with pytest.raises(ReportReadError, match="symbolic link"):
        read_report_bytes(seeds / "passwd.txt")


def test_long_chinese_names_are_cut_to_fit_with_their_suffix(small_index, embedder, tmp_path):
    seeds, index_dir = small_index
    long_name = "宁德市总工会关于" + "全市职工技能竞赛和劳动模范评选表彰工作" * 4 + "的情况报告.txt"
    assert len(long_name) >= 80 and len(long_name.encode()) > 255 - len(".meta.json")
    cut = safe_name(long_name, ".txt")
    assert cut.endswith(".txt") and len(cut.encode()) <= NAME_MAX_BYTES and long_name.startswith(cut[:-4])
    assert safe_name("宁" * 300 + ".docx", ".docx").endswith(".docx")
    source = tmp_path / long_name[:80]  # the file system takes 80 characters (240 bytes) but not its sidecar
    source = source.with_name(source.name[:-4] + ".txt")
    source.write_text(REPORT_B, encoding="utf-8")
    added, _ = add_reports(
        [source], seeds_dir=seeds, index_dir=index_dir, embedder=embedder, meta=make_meta(place="宁德")
    )
    stored = added[0].path
    assert stored.exists() and stored.suffix == ".txt" and len(stored.name.encode()) <= NAME_MAX_BYTES
    with pytest.raises(ReportNameError, match="bytes long"):
        check_new_name(seeds, "宁" * 90 + ".txt")
    assert main(["remove", "宁" * 100 + ".txt", "--seeds", str(seeds), "--index-dir", str(index_dir)]) == 2
