"""Builds delete only what they made: user folders, the seeds and foreign links are refused; one builder at a time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sample_reports import REPORT_A, REPORT_B, REPORT_C

from index.build import build_index
from index.errors import IndexBusyError, IndexFolderError, IndexProblem
from index.loaded import Index
from index.publish import BUILD_MARKER, build_lock, builds_dir

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")


def _seeds(tmp_path: Path, **files: str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return seeds


def _build_cli(seeds: Path, target: Path, **popen) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "index",
        "build",
        "--seeds",
        str(seeds),
        "--index-dir",
        str(target),
        "--quiet",
    ]
    return subprocess.Popen(command, env=ENV, cwd=ROOT, **popen)


def test_a_folder_holding_a_user_file_is_refused_and_left_whole(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("my notes", encoding="utf-8")
    with pytest.raises(IndexFolderError, match=r"did not make \(it holds notes.txt\).*nothing was changed"):
        build_index(seeds, target, embedder=embedder, quiet=True)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "seeds"]  # no builds folder, no link


def test_the_cli_refuses_the_seeds_folder_as_index_dir_and_keeps_every_report(tmp_path):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A, "b.txt": REPORT_B})
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    done = subprocess.run(
        [sys.executable, "-m", "index", "build", "--seeds", str(seeds), "--index-dir", str(seeds)],
        env=ENV,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert "overlaps the seeds folder" in done.stderr and "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == before


@pytest.mark.parametrize("where", ["inside the seeds", "holding the seeds"])
def test_an_index_dir_overlapping_the_seeds_is_refused(tmp_path, embedder, where):
    seeds = _seeds(tmp_path / "data", **{"a.txt": REPORT_A})
    target = seeds / "idx" if where == "inside the seeds" else tmp_path / "data"
    with pytest.raises(IndexFolderError, match="overlaps the seeds folder"):
        build_index(seeds, target, embedder=embedder, quiet=True)
    assert [p.name for p in seeds.iterdir()] == ["a.txt"]


def test_a_file_and_a_foreign_symlink_are_refused_an_empty_folder_is_used(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(IndexFolderError, match="is a file"):
        build_index(seeds, a_file, embedder=embedder, quiet=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    with pytest.raises(IndexFolderError, match="is a symlink to"):
        build_index(seeds, link, embedder=embedder, quiet=True)
    assert link.is_symlink() and os.readlink(link) == str(elsewhere)
    empty = tmp_path / "empty"
    empty.mkdir()
    build_index(seeds, empty, embedder=embedder, quiet=True)
    assert empty.is_symlink() and len(Index.load(empty)) > 0


def test_assistant_load_refuses_to_rebuild_an_old_layout_folder_and_deletes_nothing(tmp_path, embedder):
    from qa import Assistant

    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    built = tmp_path / "built"
    build_index(seeds, built, embedder=embedder, quiet=True)
    old = tmp_path / "old-layout"
    shutil.copytree(built.resolve(), old)  # a plain folder with an index inside: the older layout
    (old / "my-file.txt").write_text("keep me", encoding="utf-8")
    (seeds / "b.txt").write_text(REPORT_B, encoding="utf-8")  # stale: Assistant.load would rebuild
    with pytest.raises(IndexFolderError, match="did not make.*rm -r"):
        Assistant.load(old, embedder=embedder, seeds_dir=seeds, build_if_missing=True)
    assert (old / "my-file.txt").read_text(encoding="utf-8") == "keep me"
    assert (old / "passages.jsonl").exists()


def test_a_build_removes_only_build_folders_it_marked(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "idx"
    build_index(seeds, target, embedder=embedder, quiet=True)
    killed = builds_dir(target) / "build-killed"  # what a build killed before its manifest leaves
    killed.mkdir()
    (killed / BUILD_MARKER).write_text("", encoding="utf-8")
    foreign = builds_dir(target) / "build-not-ours"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("keep", encoding="utf-8")
    build_index(seeds, target, embedder=embedder, quiet=True)
    assert not killed.exists()
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_a_second_builder_gives_up_clearly_when_the_lock_stays_held(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "idx"
    builds_dir(target).mkdir(parents=True)
    with build_lock(target), pytest.raises(IndexBusyError, match="another build of .* still holds"):
        build_index(seeds, target, embedder=embedder, quiet=True, lock_timeout=0.3)
    assert not target.exists()


def test_two_builder_processes_at_once_leave_one_loadable_index(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A, "b.txt": REPORT_B, "c.txt": REPORT_C})
    target = tmp_path / "idx"
    builds_dir(target).mkdir(parents=True)
    logs = [tmp_path / f"builder-{n}.log" for n in (1, 2)]
    # Both builders start while the test holds the lock, so both must wait for it: the test sees them
    # queue, then lets them run against each other.
    with build_lock(target):
        procs = [_build_cli(seeds, target, stdout=subprocess.DEVNULL, stderr=log.open("w")) for log in logs]
        deadline = time.monotonic() + 240
        while not all("waiting up to" in log.read_text() for log in logs):
            assert time.monotonic() < deadline, [log.read_text() for log in logs]
            assert all(p.poll() is None for p in procs), [log.read_text() for log in logs]
            time.sleep(0.2)
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0, 0], [log.read_text() for log in logs]
    index = Index.load(target, seeds_dir=seeds)
    assert {p.source for p in index.passages} == {"a.txt", "b.txt", "c.txt"}
    assert len([p for p in builds_dir(target).iterdir() if p.is_dir()]) == 1


def _umask() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    return 0o077


def _load_as_nobody(target: Path) -> str:
    """Index.load in a forked child running as uid/gid 65534 (nobody); what it says, as one line.

    A fork, not a new interpreter: this one may live where only root can read it (a pyenv under /root).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, load, report, exit without running pytest's handlers
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                said = f"loaded {len(Index.load(target))}"
            except IndexProblem as exc:
                said = f"{type(exc).__name__} {exc}"
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
                said = f"raw {type(exc).__name__} {exc}"
            os.write(write, said.encode("utf-8", "replace"))
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        said = fh.read().decode("utf-8")
    os.waitpid(pid, 0)
    return said


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to switch users")
@pytest.mark.skipif(_umask() & 0o005 != 0, reason="the umask keeps others out, as the user asked")
def test_an_index_built_by_root_loads_as_another_user(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "idx"
    build_index(seeds, target, embedder=embedder, quiet=True)
    # pytest keeps its temp folders private (0700); let others pass through them for this test only.
    opened = [d for d in (tmp_path, *tmp_path.parents) if d != Path("/") and not d.stat().st_mode & 0o001]
    modes = {d: d.stat().st_mode for d in opened}
    try:
        for folder in opened:
            os.chmod(folder, modes[folder] | 0o001)
        assert _load_as_nobody(target) == f"loaded {len(Index.load(target))}"
        (target.resolve() / "passages.jsonl").chmod(0o600)  # a file another user may not read
        said = _load_as_nobody(target)
        assert said.startswith("IndexUnreadableError"), said
        assert "passages.jsonl cannot be read (Permission denied)" in said and "chmod -R a+rX" in said
    finally:
        for folder in opened:
            os.chmod(folder, modes[folder])


def test_build_folders_follow_the_umask(tmp_path, embedder):
    seeds = _seeds(tmp_path, **{"a.txt": REPORT_A})
    target = tmp_path / "idx"
    build_index(seeds, target, embedder=embedder, quiet=True)
    expected = 0o777 & ~_umask()
    assert target.resolve().stat().st_mode & 0o777 == expected
    assert (target.resolve() / "keyword").stat().st_mode & 0o777 == expected
    assert (target.resolve() / "dense.faiss").stat().st_mode & 0o777 == 0o666 & ~_umask()
