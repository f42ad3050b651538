"""Adding, removing and listing the report files of a seeds folder; the index is rebuilt after each change.

Atomic: a report is read, checked and named before anything is written; it is copied in only when it reads,
and a failed build removes exactly the files this add created (a failed remove puts the file back), so the
seeds folder and the index are left as they were. Only changed passages are embedded (build_index reuses
vectors by content hash). One add or remove at a time per seeds folder (a lock file beside the folder). A removed or replaced report goes
to the seeds folder's trash (index.trash), from which a restore (change_report) brings it back; a kill at any moment leaves
every report in place or in the trash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .audit import record
from .errors import IndexProblem, ReportNameError, ReportReadError
from .passage import INFERRED_DATES
from .places.metadata import (
    SIDECAR_SUFFIX,
    Declared,
    read_declared,
    read_sidecar,
    sidecar_path,
    write_sidecar,
)
from .progress import Progress, reporting, step
from .readers.read import SUPPORTED_SUFFIXES, read_report_bytes, report_text
from .text.articles import split_articles
from .text.layout import classify, split_lines
from .trash import TrashEntry, find_in_trash, move_to_trash, purge, put_back, recover

if TYPE_CHECKING:
    from .build import BuildSummary

log = logging.getLogger(__name__)

NAME_MAX = 120  # characters of a stored file name
# Bytes of a stored name: file systems allow 255, and the longest name made from it (the hidden temporary copy
# of its sidecar, ".NAME.meta.json.tmp-xxxxxxxx") adds 24.
NAME_MAX_BYTES = 200
LOCK_TIMEOUT_S = 900.0  # as long as a build may wait for another
CHANGES = ("remove", "restore")  # what change_report does to one report
_UNSAFE = re.compile(r"[^\w.\-()（）【】《》、·]+")


@dataclass(frozen=True)
class Preview:
    """What the reader and the layout make of a report before it is added: its kind and inferred metadata."""

    name: str
    kind: str  # pdf, docx, html or text
    chars: int
    paragraphs: int
    title: str
    city: str | None
    year: int | None
    year_evidence: str | None = None  # a year inferred from the text: the sentence it was read from


@dataclass(frozen=True)
class AddedReport:
    """One report an add put into the seeds folder."""

    name: str
    path: Path
    sidecar: Path | None
    preview: Preview


@dataclass(frozen=True)
class ReportRow:
    """One report of the seeds folder as `python -m index list` shows it."""

    name: str
    title: str
    place: str
    date: str
    passages: int | None  # None when the index does not hold this file (not built yet, or unreadable)
    added: float  # the file's modification time: when it was copied in
    declared: Declared


def preview(data: bytes, name: str) -> Preview:
    """Read a report's bytes and infer its title, city and year as the build would; ReportReadError if it can't.

    A text with no body paragraph (only headings or table rows) is refused: it would add no passage.
    """
    from .readers.sniff import detect

    text = report_text(data, name)
    blocks = classify(split_lines(text))
    articles = split_articles(name, blocks)
    if not any(article.body for article in articles):
        raise ReportReadError(
            f"{name}: no paragraph of body text was found ({len(blocks)} lines, all headings, captions or "
            "labels); check that it is the report itself"
        )
    first = articles[0]
    evidence = first.date_evidence if first.date_from == "text" else None
    return Preview(
        name, detect(data, name), len(text), len(blocks), first.title, first.city, first.year, evidence
    )


def safe_name(original: str, kind_suffix: str) -> str:
    """A file name for the seeds folder: the original's base name with unsafe characters replaced.

    A name whose suffix the seeds folder does not read gets the suffix of its real kind appended.
    """
    base = unicodedata.normalize("NFC", Path(original.replace("\\", "/")).name).strip()
    base = _UNSAFE.sub("_", base).strip("._ ")
    if not base:
        raise ReportNameError(f"{original!r} gives no usable file name; pass --name NAME.pdf (or .docx ...)")
    if Path(base).suffix.lower() not in SUPPORTED_SUFFIXES:
        base += kind_suffix
    suffix = Path(base).suffix
    stem = base[: len(base) - len(suffix)]
    while len(stem + suffix) > NAME_MAX or len((stem + suffix).encode()) > NAME_MAX_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip("._ ")
    if not stem:
        raise ReportNameError(f"{original!r} gives no usable file name; pass --name NAME.pdf (or .docx ...)")
    return stem + suffix


def check_new_name(seeds_dir: Path, name: str, taken: Sequence[str] = (), *, replacing: bool = False) -> Path:
    """The path a new report gets; ReportNameError when the name escapes the folder or clashes.

    Passage ids are made from the file's stem, so `a.pdf` clashes with an existing `a.txt`. With
    `replacing`, the name must be an existing report's (which the add replaces) and clash with no other.
    """
    if name != Path(name).name or name in ("", ".", "..") or name.startswith(".") or "/" in name:
        raise ReportNameError(
            f"{name!r} is not a plain file name inside {seeds_dir}; pass a name like 报告.pdf"
        )
    if len(name.encode()) > NAME_MAX_BYTES:
        raise ReportNameError(
            f"{name[:20]}… is {len(name.encode())} bytes long in UTF-8; a report's name may have at most "
            f"{NAME_MAX_BYTES} (about {NAME_MAX_BYTES // 3} Chinese characters): pass a shorter --name"
        )
    if name.lower().endswith(SIDECAR_SUFFIX) or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReportNameError(f"{name!r} must end in one of {' '.join(SUPPORTED_SUFFIXES)}")
    path = seeds_dir / name
    if path.resolve().parent != seeds_dir.resolve():
        raise ReportNameError(f"{name!r} would land outside {seeds_dir}; pass a plain file name")
    if replacing:
        resolve_report(seeds_dir, name)  # a report of the folder, or ReportNameError
    stem = Path(name).stem.lower()
    existing = [p.name for p in seeds_dir.iterdir() if not (replacing and p.name == name)] + list(taken)
    for other in existing:
        if other.lower() == name.lower() or (
            Path(other).suffix.lower() in SUPPORTED_SUFFIXES and Path(other).stem.lower() == stem
        ):
            raise ReportNameError(
                f"{name} clashes with {other} already in {seeds_dir}; replace it (add --replace "
                f"--name {other}), remove it first (python -m index remove {other}) or pass --name with "
                "another name"
            )
    if not replacing and sidecar_path(path).exists():
        raise ReportNameError(
            f"{sidecar_path(path)} is left from an earlier report; delete it or pass --name with another name"
        )
    return path


@contextmanager
def seeds_lock(seeds_dir: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """One add or remove at a time per seeds folder (the build has its own lock)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(seeds_dir.parent / f".{seeds_dir.name}.reports.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise IndexProblem(
            f"another add or remove of {seeds_dir} held its lock for {timeout:.0f} s; try again when it ends"
        ) from exc
    try:
        for note in recover(seeds_dir):  # what a killed add, remove or restore left half done
            log.warning("%s: %s", seeds_dir, note)
        yield
    finally:
        lock.release()


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file whole or not at all: a temp name first (ignored by the build), then a rename."""
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    try:
        with tmp.open("xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def add_reports(
    files: Sequence[str | Path],
    *,
    seeds_dir: str | Path,
    index_dir: str | Path | None = None,
    meta: Declared | None = None,
    names: Sequence[str | None] | None = None,
    replace: bool = False,
    embedder=None,
    quiet: bool = True,
    who: str | None = None,
    progress: Progress | None = None,
):
    """Copy report files into the seeds folder (with a sidecar of the declared metadata) and rebuild the index.

    Args:
        files: report files of any readable kind (the kind is read from the content).
        seeds_dir: the seeds folder the index is built from.
        index_dir: the index (default: $QA_INDEX_DIR or .index/).
        meta: declared title/place/date, validated (index.places.metadata.make_meta); one title needs one file.
        names: stored file names, one per file (None: a safe version of the original name).
        replace: the names are existing reports' to replace; their sidecar's keys are kept unless
            declared again. A failed add puts the old files back.
        embedder: a loaded Embedder to share.
        who: written to the audit log (index.audit; default: the system user, marked command line).
        progress: called with (stage, done, total, file name) as pages are read ("page", "ocr") and passages
            embedded ("embed"); see index.progress.
    Returns:
        (list of AddedReport, BuildSummary).
    Raises:
        ReportReadError, ReportNameError, MetadataError before anything is written; any build error after
        the files this add created are removed again.
    """
    from .build import build_index
    from .readers.sniff import SUFFIX, detect

    seeds_dir = Path(seeds_dir)
    meta = meta or Declared()
    names = list(names) if names is not None else [None] * len(files)
    if not files:
        raise ReportNameError("no file given; pass one or more report files")
    if len(names) != len(files):
        raise ReportNameError(f"{len(names)} names for {len(files)} files; give one name per file")
    if meta.title and len(files) > 1:
        raise ReportNameError(f"one --title for {len(files)} files; add each titled report on its own")
    if not seeds_dir.is_dir():
        raise ReportNameError(f"seeds folder {seeds_dir} does not exist; create it or pass --seeds DIR")
    staged: list[tuple[Path, bytes, Preview]] = []
    embedded = (lambda done, total: step("embed", done, total)) if progress else None
    with seeds_lock(seeds_dir), reporting(progress):
        taken: list[str] = []
        for file, name in zip(files, names, strict=True):
            file = Path(file)
            if not file.exists() and not file.is_symlink():
                raise ReportReadError(
                    f"{file} is not a file (there is none of that name); give the path of a report"
                )
            data = read_report_bytes(file)
            info = preview(data, file.name)
            stored = name or safe_name(file.name, SUFFIX[detect(data, file.name)])
            target = check_new_name(seeds_dir, stored, taken, replacing=replace)
            taken.append(target.name)
            staged.append((target, data, info))
        created: list[Path] = []
        moved: list[TrashEntry] = []
        added: list[AddedReport] = []
        try:
            for target, data, info in staged:
                declared = meta
                if replace:
                    declared = Declared(**{**read_sidecar(target).to_dict(), **meta.to_dict()})
                    moved.append(move_to_trash(seeds_dir, target))  # the old version: restorable 30 days
                _write_new(target, data)
                created.append(target)
                sidecar = None
                if declared:
                    sidecar = write_sidecar(target, declared)
                    created.append(sidecar)
                    read_declared(target)  # the build's reader accepts it, or nothing is built
                added.append(AddedReport(target.name, target, sidecar, info))
            summary = build_index(seeds_dir, index_dir, embedder=embedder, quiet=quiet, progress=embedded)
            skipped = dict(summary.corpus.skipped)
            refused = [(a.name, skipped[a.name]) for a in added if a.name in skipped]
        except BaseException:
            _undo(seeds_dir, created, moved)
            raise
        if refused:
            # The build left a report out (e.g. its sidecar did not read): undo, and rebuild the old set
            # (every vector reused), rather than report an add that added nothing.
            _undo(seeds_dir, created, moved)
            build_index(seeds_dir, index_dir, embedder=embedder, quiet=quiet)
            name, reason = refused[0]
            raise ReportReadError(f"{name}: the build could not use it ({reason}); nothing was added")
        for report, (_, data, _) in zip(added, staged, strict=True):
            record(seeds_dir, who=who, action="replace" if replace else "add", name=report.name,
                   sha256=hashlib.sha256(data).hexdigest())  # fmt: skip
    return added, summary


def _undo(seeds_dir: Path, created: list[Path], moved: list[TrashEntry]) -> None:
    """Remove the files an add created and put back the ones it moved to the trash."""
    for path in reversed(created):
        path.unlink(missing_ok=True)
    for entry in moved:
        put_back(seeds_dir, entry)


def resolve_report(seeds_dir: Path, name: str) -> Path:
    """The report file `name` inside the seeds folder; ReportNameError for anything else."""
    seeds_dir = Path(seeds_dir)
    if not name or name != Path(name).name or name.startswith(".") or len(name.encode()) > 255:
        raise ReportNameError(
            f"{name!r} is not a report file name; `python -m index list` shows the names to remove"
        )
    path = seeds_dir / name
    if (
        path.is_symlink()
        or not path.is_file()
        or path.resolve().parent != seeds_dir.resolve()
        or name.lower().endswith(SIDECAR_SUFFIX)
        or path.suffix.lower() not in SUPPORTED_SUFFIXES
    ):
        raise ReportNameError(
            f"{name!r} is not a report in {seeds_dir}; `python -m index list` shows the names to remove"
        )
    return path


def change_report(
    name: str,
    action: str,
    *,
    seeds_dir: str | Path,
    index_dir: str | Path | None = None,
    embedder=None,
    quiet: bool = True,
    who: str | None = None,
) -> tuple[Path, BuildSummary]:
    """Remove one report (and its sidecar) to the seeds folder's trash, or restore the newest trashed one of this
    name, and rebuild; a failed build undoes the change. Returns (the report's path in the seeds folder,
    BuildSummary).

    Raises ValueError for an action other than remove or restore, ReportNameError for a name that is not a
    report of the folder (remove) or not in the trash or taken again (restore). A remove purges trash entries
    older than the trash keeps (index.trash.KEEP_DAYS).
    """
    if action not in CHANGES:
        raise ValueError(f"action={action!r} is not one of {', '.join(CHANGES)}")
    seeds_dir = Path(seeds_dir)
    with seeds_lock(seeds_dir):
        if action == "remove":
            entry = move_to_trash(seeds_dir, resolve_report(seeds_dir, name))
            path, undo = seeds_dir / entry.name, partial(put_back, seeds_dir, entry)
        else:
            entry = find_in_trash(seeds_dir, name)
            check_new_name(seeds_dir, entry.name)
            path = put_back(seeds_dir, entry)
            undo = partial(move_to_trash, seeds_dir, path)
        summary = _rebuild(seeds_dir, index_dir, embedder, quiet, undo=undo)
        record(seeds_dir, who=who, action=action, name=entry.name, sha256=entry.sha256)
        if action == "remove":
            purge(seeds_dir)
    return path, summary


def _rebuild(seeds_dir: Path, index_dir, embedder, quiet: bool, *, undo: Callable[[], object]):
    """Build the index after a change to the seeds folder; when the build fails, undo the change and re-raise."""
    from .build import build_index

    try:
        return build_index(seeds_dir, index_dir, embedder=embedder, quiet=quiet)
    except BaseException:
        undo()
        raise


def seeds_of(index_dir: str | Path | None = None) -> Path:
    """The seeds folder an index was built from (its manifest says), else the project's seeds/."""
    from .loaded import DEFAULT_SEEDS, default_index_dir
    from .manifest import read_manifest, seeds_path

    index_dir = Path(index_dir) if index_dir else default_index_dir()
    try:
        return seeds_path(read_manifest(index_dir), index_dir) or DEFAULT_SEEDS
    except (OSError, ValueError, TypeError, AttributeError):
        return DEFAULT_SEEDS


def list_report_rows(seeds_dir: str | Path, index=None) -> list[ReportRow]:
    """Every report file of the seeds folder with its declared or inferred title, place and date."""
    from .readers.read import list_reports

    seeds_dir = Path(seeds_dir)
    rows_by_source = {row["source"]: row for row in index.sources()} if index is not None else {}
    counts: dict[str, int] = {}
    for passage in index.passages if index is not None else ():
        counts[passage.source] = counts.get(passage.source, 0) + 1
    rows = []
    for path in list_reports(seeds_dir):
        try:
            declared = read_sidecar(path)
        except IndexProblem:
            declared = Declared()
        inferred = rows_by_source.get(path.name, {})
        title = declared.title or " | ".join(inferred.get("titles", [])) or "?"
        place = declared.place or "/".join(inferred.get("cities", [])) or "?"
        dates = inferred.get("dates") or inferred.get("years", [])
        guessed = dates and any(by in INFERRED_DATES for by in inferred.get("dated_by", []))
        date = declared.date or "/".join(str(d) for d in dates) + ("（推断）" if guessed else "") or "?"
        rows.append(
            ReportRow(path.name, title, place, date, counts.get(path.name), path.stat().st_mtime, declared)
        )
    return rows


def format_rows(rows: Sequence[ReportRow]) -> str:
    """The rows as an aligned table; declared values are marked with *."""
    lines = ["report | title | place | date | passages | added"]
    for r in rows:
        mark = {k: "*" if v else "" for k, v in r.declared.to_dict().items()}
        lines.append(
            f"{r.name} | {r.title}{mark.get('title', '')} | {r.place}{mark.get('place', '')} | "
            f"{r.date}{mark.get('date', '')} | {'-' if r.passages is None else r.passages} | "
            f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(r.added))}"
        )
    lines.append(f"{len(rows)} reports; * declared in a .meta.json sidecar, the rest inferred from the text")
    return "\n".join(lines)
