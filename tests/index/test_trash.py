"""Removing is reversible and crash-safe: remove moves a report and its sidecar to seeds/.trash/, restore brings
it back, and a kill at any moment of add, remove or restore leaves every report in place or in the trash
(real model, real FAISS, real processes killed with SIGKILL)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sample_reports import REPORT_A, REPORT_B

from index.__main__ import main
from index.build import build_index
from index.errors import ReportNameError
from index.loaded import Index
from index.places.metadata import make_meta, write_sidecar
from index.reports import change_report, seeds_lock
from index.trash import KEEP_DAYS, list_trash, purge, recover, trash_of

ROOT = Path(__file__).resolve().parents[2]
REPORT_C = "宁德市总工会2021年工作报告\n\n2021年，宁德市总工会新建职工书屋36个，服务职工1.2万人次。\n"


@pytest.fixture()
def seeds_index(tmp_path, embedder):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    write_sidecar(seeds / "a.txt", make_meta(place="南平", date="2021"))
    (seeds / "b.txt").write_text(REPORT_B, encoding="utf-8")
    index_dir = tmp_path / "idx"
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    return seeds, index_dir


def _where(seeds: Path) -> dict[str, list[str]]:
    """Each report's files: in seeds/ (["seeds", ...names]) or in one trash folder (["trash", ...names])."""
    found: dict[str, list[str]] = {}
    for path in seeds.iterdir():
        if path.is_file() and not path.name.startswith("."):
            report = path.name.removesuffix(".meta.json")
            found.setdefault(report, ["seeds"]).append(path.name)
    for entry in list_trash(seeds):  # newest first; a report in place again keeps its older copies here
        if entry.name not in found:
            found[entry.name] = ["trash", *(f for f in entry.files if (entry.folder / f).is_file())]
    return found


def _assert_whole(seeds: Path, reports: dict[str, bytes], context: object = None) -> None:
    """Every report in place or in the trash, with its sidecar beside it; no hidden leftovers in seeds/."""
    with seeds_lock(seeds):  # what every add/remove/restore does first: recover
        pass
    where = _where(seeds)
    for name, data in reports.items():
        assert name in where, (context, name, where)
        place, *files = where[name]
        assert name in files, (context, name, where)
        if name == "a.txt":
            assert sorted(files) == ["a.txt", "a.txt.meta.json"], (context, where)
        folder = seeds if place == "seeds" else next(e.folder for e in list_trash(seeds) if e.name == name)
        assert (folder / name).read_bytes() == data, context
    hidden = [
        p.name for p in seeds.iterdir() if p.name.startswith(".") and p.name not in (".trash", ".audit.jsonl")
    ]
    assert not hidden, hidden
    for folder in trash_of(seeds).iterdir() if trash_of(seeds).is_dir() else ():
        state = json.loads((folder / "record.json").read_text(encoding="utf-8"))["state"]
        assert state == "in-trash", (folder, state)


def test_remove_goes_to_the_trash_and_restore_brings_it_back(seeds_index, embedder, capsys):
    seeds, index_dir = seeds_index
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    assert main(["remove", "a.txt", *where]) == 0
    assert "python -m index restore a.txt" in capsys.readouterr().out
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == ["b.txt"]
    assert {p.source for p in Index.load(index_dir).passages} == {"b.txt"}
    (entry,) = list_trash(seeds)
    assert entry.name == "a.txt" and sorted(entry.files) == ["a.txt", "a.txt.meta.json"] and entry.sha256
    assert main(["trash", *where[:4]]) == 0
    assert "a.txt | removed" in capsys.readouterr().out
    assert main(["remove", "a.txt", *where]) == 2  # gone from seeds/: a clear line, not a crash
    assert "not a report" in capsys.readouterr().err

    assert main(["restore", "a.txt", *where]) == 0
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == [
        "a.txt",
        "a.txt.meta.json",
        "b.txt",
    ]
    assert (seeds / "a.txt").read_text(encoding="utf-8") == REPORT_A
    assert {p.source for p in Index.load(index_dir).passages} == {"a.txt", "b.txt"}
    assert list_trash(seeds) == []
    with pytest.raises(ReportNameError, match="not in the trash"):
        change_report("a.txt", "restore", seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    # A restore whose name is taken again is refused and leaves the trash as it was.
    change_report("b.txt", "remove", seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    (seeds / "b.txt").write_text(REPORT_C, encoding="utf-8")
    with pytest.raises(ReportNameError, match="clashes"):
        change_report("b.txt", "restore", seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    assert [e.name for e in list_trash(seeds)] == ["b.txt"]


def test_the_trash_keeps_thirty_days_and_purges_only_its_own_files(seeds_index, embedder):
    seeds, index_dir = seeds_index
    change_report("b.txt", "remove", seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    (entry,) = list_trash(seeds)
    stranger = entry.folder / "notes-of-someone.txt"
    stranger.write_text("not ours", encoding="utf-8")
    assert purge(seeds, now=entry.removed + (KEEP_DAYS - 1) * 86400) == []
    assert [e.name for e in purge(seeds, now=entry.removed + (KEEP_DAYS + 1) * 86400)] == ["b.txt"]
    assert not (entry.folder / "b.txt").exists() and stranger.read_text(encoding="utf-8") == "not ours"


def test_every_half_done_state_is_recovered_to_in_place_or_in_the_trash(seeds_index, embedder):
    """The states a kill between two steps of remove or restore leaves, made by hand, then recovered."""
    seeds, index_dir = seeds_index
    reports = {"a.txt": REPORT_A.encode(), "b.txt": REPORT_B.encode()}
    change_report("a.txt", "remove", seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    (entry,) = list_trash(seeds)
    record = json.loads((entry.folder / "record.json").read_text(encoding="utf-8"))

    def state(name: str) -> None:
        (entry.folder / "record.json").write_text(json.dumps({**record, "state": name}), encoding="utf-8")

    # Killed in a remove after the sidecar moved, before the report: undone, both back in seeds/.
    os.replace(entry.folder / "a.txt", seeds / "a.txt")
    state("removing")
    _assert_whole(seeds, reports)
    assert (seeds / "a.txt.meta.json").is_file() and not trash_of(seeds).joinpath(entry.id).exists()

    # Killed in a restore after the report came back, before its sidecar: finished.
    change_report("a.txt", "remove", seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    (entry,) = list_trash(seeds)
    record = json.loads((entry.folder / "record.json").read_text(encoding="utf-8"))
    os.replace(entry.folder / "a.txt", seeds / "a.txt")
    state("restoring")
    _assert_whole(seeds, reports)
    assert (seeds / "a.txt.meta.json").is_file()

    # An older remove's hidden copy, an add's unfinished temporary copy, a trash folder made but never written.
    os.replace(seeds / "b.txt", seeds / ".b.txt.removing-0a1b2c3d")
    (seeds / ".c.txt.tmp-00ff00ff").write_text("half", encoding="utf-8")
    (trash_of(seeds) / "20260101T000000-deadbeef").mkdir(parents=True)
    _assert_whole(seeds, reports)
    assert not any(trash_of(seeds).iterdir())
    # A hidden copy whose name is taken again goes to the trash instead of over the report in place.
    (seeds / ".b.txt.removing-0a1b2c3e").write_bytes(b"older b")
    _assert_whole(seeds, reports)
    assert [e.name for e in list_trash(seeds)] == ["b.txt"]
    assert recover(seeds) == []


def _run_killed(argv: list[str], delay: float, env: dict[str, str]) -> int | None:
    """Start `python -m index ARGV`, SIGKILL it after delay seconds; its exit code when it ended first."""
    process = subprocess.Popen(
        [sys.executable, "-m", "index", *argv], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        return process.wait(delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def test_kills_at_random_moments_of_add_remove_and_restore_lose_no_report(seeds_index, tmp_path, embedder):
    seeds, index_dir = seeds_index
    new = tmp_path / "c.txt"
    new.write_text(REPORT_C, encoding="utf-8")
    reports = {"a.txt": REPORT_A.encode(), "b.txt": REPORT_B.encode()}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    # How long each command takes here, so that the kills fall anywhere in it.
    started = time.perf_counter()
    assert _run_killed(["remove", "a.txt", *where], 300, env) == 0
    span = time.perf_counter() - started
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    kills = 0
    for round_ in range(3):
        for argv in (["restore", "a.txt"], ["remove", "a.txt"], ["add", str(new)], ["remove", "c.txt"]):
            code = _run_killed([*argv, *where], rng.uniform(0.05, span * 1.1), env)
            kills += code is None
            if "c.txt" in _where(seeds) or (argv[0] == "add" and code == 0):
                reports["c.txt"] = REPORT_C.encode()
            _assert_whole(seeds, reports, (seed, round_, argv, code))
    print(f"\n{kills} of 12 commands killed (seed {seed}, span {span:.1f} s)")
    # Whatever state the kills left, the next build serves every report in place.
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    in_place = {n for n, (place, *_) in _where(seeds).items() if place == "seeds"}
    assert {p.source for p in Index.load(index_dir).passages} == in_place
