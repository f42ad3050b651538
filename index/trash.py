"""The seeds folder's trash (seeds/.trash/): a removed report and its sidecar are kept there 30 days and can be
restored; every move is journaled so that a kill at any moment leaves each report in place or in the trash.

One folder per removal, holding the files under their own names and record.json (name, files, when, sha256,
state). `recover` finishes what a killed process left half done; callers hold the reports lock (reports.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportNameError
from .places.metadata import sidecar_path

TRASH_DIR = ".trash"
RECORD = "record.json"
KEEP_DAYS = 30
REMOVING, IN_TRASH, RESTORING = "removing", "in-trash", "restoring"
# Hidden files our own writers leave while they work (reports._write_new, sidecar.write_sidecar, older removes).
_TEMP = re.compile(r"^\..+\.(tmp-[0-9a-f]{8}|tmp-\d+)$")
_ASIDE = re.compile(r"^\.(?P<name>.+)\.removing-[0-9a-f]{8}$")


@dataclass(frozen=True)
class TrashEntry:
    """One removed report in the trash."""

    id: str
    name: str
    files: tuple[str, ...]  # the report first, then its sidecar if it had one
    removed: float  # when it was removed (seconds since the epoch)
    sha256: str | None  # the report's
    state: str
    folder: Path

    @property
    def expires(self) -> float:
        return self.removed + KEEP_DAYS * 86400

    def to_dict(self) -> dict:
        return {"name": self.name, "files": list(self.files), "removed": self.removed, "sha256": self.sha256,
                "state": self.state}  # fmt: skip


def trash_of(seeds_dir: str | Path) -> Path:
    return Path(seeds_dir) / TRASH_DIR


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(2**20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_record(folder: Path, record: dict) -> None:
    tmp = folder / f".{RECORD}.tmp-{secrets.token_hex(4)}"
    with tmp.open("x", encoding="utf-8") as fh:
        json.dump(record, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / RECORD)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_entry(folder: Path) -> TrashEntry | None:
    """The entry of one trash folder; None when it holds no readable record of ours."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        files = tuple(str(f) for f in record["files"])
        if not files or any(f != Path(f).name or f.startswith(".") for f in files):
            return None
        return TrashEntry(folder.name, str(record["name"]), files, float(record["removed"]), record.get("sha256"),
                          str(record["state"]), folder)  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


def move_to_trash(seeds_dir: str | Path, report: Path, *, name: str | None = None) -> TrashEntry:
    """Move a report and its sidecar into a new trash folder (journaled: see recover).

    `name`: the report's name in the trash when its file in seeds/ has another (a copy an older remove hid)."""
    seeds_dir, report = Path(seeds_dir), Path(report)
    name = name or report.name
    folder = trash_of(seeds_dir) / f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    moves = [(report, name)]
    if name == report.name and sidecar_path(report).is_file():
        moves.append((sidecar_path(report), sidecar_path(report).name))
    record = {"name": name, "files": [n for _, n in moves], "removed": time.time(), "sha256": sha256_of(report),
              "state": REMOVING}  # fmt: skip
    _write_record(folder, record)
    for source, target in reversed(moves):  # the sidecar first: recover() puts back whatever moved
        os.replace(source, folder / target)
    _fsync_dir(seeds_dir)
    record["state"] = IN_TRASH
    _write_record(folder, record)
    return _read_entry(folder)


def put_back(seeds_dir: str | Path, entry: TrashEntry) -> Path:
    """Move a trashed report and its sidecar back into the seeds folder; its trash folder goes. Returns its path.

    The caller checks that the name is free (reports.check_new_name)."""
    seeds_dir = Path(seeds_dir)
    record = {**entry.to_dict(), "state": RESTORING}
    _write_record(entry.folder, record)
    if not _finish_restore(seeds_dir, entry.folder, entry.files):
        raise ReportNameError(f"{entry.name} could not be put back: a file of that name is in {seeds_dir}")
    return seeds_dir / entry.name


def _finish_restore(seeds_dir: Path, folder: Path, files: tuple[str, ...]) -> bool:
    """Move a trash folder's files back into seeds/ where their names are free; the folder goes when emptied,
    else it stays in the trash. Returns whether everything went back."""
    for name in files:
        if (folder / name).exists() and not (seeds_dir / name).exists():
            os.replace(folder / name, seeds_dir / name)
    _fsync_dir(seeds_dir)
    if any((folder / name).exists() for name in files):
        entry = _read_entry(folder)
        if entry is not None:
            _write_record(folder, {**entry.to_dict(), "state": IN_TRASH})
        return False
    _remove_entry(folder, files)
    return True


def _remove_entry(folder: Path, files: tuple[str, ...]) -> None:
    """Delete a trash folder: only the files we put there (a stranger's file keeps the folder)."""
    for name in (*files, RECORD):
        (folder / name).unlink(missing_ok=True)
    for leftover in folder.glob(f".{RECORD}.tmp-*"):
        leftover.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass


def list_trash(seeds_dir: str | Path) -> list[TrashEntry]:
    """The reports in the trash, newest first."""
    trash = trash_of(seeds_dir)
    if not trash.is_dir():
        return []
    entries = [e for f in trash.iterdir() if f.is_dir() and not f.is_symlink() and (e := _read_entry(f))]
    return sorted((e for e in entries if e.state == IN_TRASH), key=lambda e: (e.removed, e.id), reverse=True)


def find_in_trash(seeds_dir: str | Path, name: str) -> TrashEntry:
    """The newest trashed report of this name; ReportNameError naming the ones there are."""
    entries = list_trash(seeds_dir)
    for entry in entries:
        if entry.name == name and (entry.folder / entry.name).is_file():
            return entry
    there = "、".join(sorted({e.name for e in entries})) or "nothing"
    raise ReportNameError(f"{name!r} is not in the trash of {seeds_dir} (it holds: {there}); "
                          "`python -m index trash` lists it")  # fmt: skip


def recover(seeds_dir: str | Path) -> list[str]:
    """Finish what a killed add, remove or restore left half done; one note per repair.

    A removal caught mid-move is undone (its files go back), a restore caught mid-move is completed, hidden
    temporary copies our writers left are deleted, and a report an older remove hid (.NAME.removing-…) is put
    back, or trashed when a report of that name is in place again.
    """
    seeds_dir = Path(seeds_dir)
    notes: list[str] = []
    if not seeds_dir.is_dir():
        return notes
    for path in seeds_dir.iterdir():
        if _TEMP.match(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            notes.append(f"deleted the unfinished copy {path.name}")
    for path in sorted(seeds_dir.iterdir()):
        match = _ASIDE.match(path.name)
        if not match or not path.is_file() or path.is_symlink():
            continue
        original = seeds_dir / match["name"]
        if not original.exists():
            os.replace(path, original)
            notes.append(f"put back {original.name}, hidden by a remove that was interrupted")
        else:
            entry = move_to_trash(seeds_dir, path, name=original.name)
            notes.append(f"moved an older copy of {original.name} to the trash ({entry.id})")
    trash = trash_of(seeds_dir)
    if not trash.is_dir():
        return notes
    for folder in sorted(trash.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        entry = _read_entry(folder)
        if entry is None:
            if not any(folder.iterdir()):
                folder.rmdir()  # made, then killed before its record was written
            continue
        if entry.state in (REMOVING, RESTORING):
            back = _finish_restore(seeds_dir, folder, entry.files)
            what = "undid the interrupted removal of" if entry.state == REMOVING else "finished restoring"
            notes.append(f"{what} {entry.name}: " + ("it is in place again" if back else "kept in the trash"))
    return notes


def purge(
    seeds_dir: str | Path, *, now: float | None = None, keep_days: float = KEEP_DAYS
) -> list[TrashEntry]:
    """Delete trash entries older than keep_days (only the files we put there); returns those deleted."""
    now = time.time() if now is None else now
    gone = []
    for entry in list_trash(seeds_dir):
        if now - entry.removed > keep_days * 86400:
            _remove_entry(entry.folder, entry.files)
            gone.append(entry)
    return gone
