"""Where a build may write: only folders it made (our symlink, our marked build folders), one builder at a time.

An index directory is a symlink to a build folder inside a hidden sibling, `.NAME.builds/`. Each build folder
carries BUILD_MARKER from its first moment, so a later build removes only folders that are provably ours; a
user's folder, the seeds, a file or a symlink pointing elsewhere is refused before any work is done.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import IndexBusyError, IndexFolderError

log = logging.getLogger(__name__)

BUILD_MARKER = ".qa-index-build"  # written first into every build folder: what makes it ours to delete
BUILD_PREFIX = "build-"
LOCK_FILE = "build.lock"
LINK_PREFIX = "link-"
# A build of the five reports takes about a minute on two cores; waiting 15 minutes covers a slow machine
# and a large seeds folder, and still ends instead of hanging forever behind a stuck builder.
LOCK_TIMEOUT_S = 900.0


def builds_dir(index_dir: Path) -> Path:
    """Where the builds behind an index directory live: a hidden sibling folder."""
    return index_dir.parent / f".{index_dir.name}.builds"


def _absolute(path: Path) -> Path:
    """The path with its parent resolved but its last part kept (an index directory is itself a symlink)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name


def is_our_link(index_dir: Path) -> bool:
    """Whether index_dir is a symlink a build made: one pointing at a build folder in builds_dir()."""
    if not index_dir.is_symlink():
        return False
    target = Path(os.path.normpath(index_dir.parent / os.readlink(index_dir)))
    return target.name.startswith(BUILD_PREFIX) and _absolute(target.parent) == _absolute(
        builds_dir(index_dir)
    )


def _is_our_build(folder: Path) -> bool:
    """A build folder this code made: named build-…, a real folder, carrying the marker (or, before the
    marker existed, a finished build's manifest)."""
    return (
        folder.name.startswith(BUILD_PREFIX)
        and folder.is_dir()
        and not folder.is_symlink()
        and ((folder / BUILD_MARKER).is_file() or (folder / "manifest.json").is_file())
    )


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_target(index_dir: Path, seeds_dir: Path) -> None:
    """IndexFolderError unless a build may put its index at index_dir without losing anything.

    Allowed: nothing there, an empty folder, or the symlink an earlier build made. Refused: the seeds folder,
    a folder inside it or holding it, a file, a non-empty folder (a user's, or an index of the older
    single-folder layout), and a symlink that points anywhere but our builds folder.
    """
    target, seeds = _absolute(index_dir), Path(os.path.abspath(seeds_dir)).resolve()
    for path in (target, _absolute(builds_dir(index_dir))):
        if _within(path, seeds) or _within(seeds, path):
            raise IndexFolderError(
                f"--index-dir {index_dir} would put the index at {path}, which overlaps the seeds folder "
                f"{seeds}; a build never writes among the reports. Choose an index folder outside it, "
                f"e.g. --index-dir {seeds.parent / '.index'}"
            )
    if index_dir.is_symlink():
        if is_our_link(index_dir):
            return
        raise IndexFolderError(
            f"{index_dir} is a symlink to {os.readlink(index_dir)}, not to a build in {builds_dir(index_dir)}; "
            f"nothing was changed. Remove the link yourself or choose another --index-dir"
        )
    if not index_dir.exists():
        return
    if not index_dir.is_dir():
        raise IndexFolderError(f"{index_dir} is a file, not an index folder; choose another --index-dir")
    entries = sorted(p.name for p in index_dir.iterdir())
    if entries:
        shown = ", ".join(entries[:5]) + (f" and {len(entries) - 5} more" if len(entries) > 5 else "")
        raise IndexFolderError(
            f"{index_dir} is a folder that this build did not make (it holds {shown}); a build replaces only "
            f"its own index and deletes nothing else, so nothing was changed. Choose another --index-dir, or, "
            f"if it is an index of the older single-folder layout you no longer need, remove it yourself "
            f"(rm -r {index_dir}) and build again"
        )


def new_build_dir(index_dir: Path) -> Path:
    """A fresh build folder, readable as the umask allows (mkdtemp's 0700 would lock out other users)."""
    name = f"{BUILD_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
    folder = builds_dir(index_dir) / name
    os.mkdir(folder, 0o777)  # the umask applies, as for any other output
    (folder / BUILD_MARKER).write_text(
        "a build folder of python -m index; safe to delete\n", encoding="utf-8"
    )
    return folder


def publish(staging: Path, index_dir: Path) -> None:
    """Swap the finished build in: index_dir is a symlink replaced in one os.replace, so a reader sees old or new.

    Call it holding build_lock(); a killed build leaves only a marked folder, removed by the next build.
    """
    if index_dir.exists() and not index_dir.is_symlink():
        if any(index_dir.iterdir()):  # check_target refused this already; the folder changed since
            raise IndexFolderError(f"{index_dir} is no longer empty; nothing was changed, build again")
        index_dir.rmdir()
    link_tmp = builds_dir(index_dir) / f"{LINK_PREFIX}{os.getpid()}"
    if link_tmp.is_symlink():
        link_tmp.unlink()
    os.symlink(os.path.relpath(staging, index_dir.parent), link_tmp)
    os.replace(link_tmp, index_dir)
    remove_old_builds(index_dir)


def remove_old_builds(index_dir: Path) -> None:
    """Delete our build folders other than the published one, and links left by killed builds; nothing else."""
    current = index_dir.resolve()
    for entry in builds_dir(index_dir).iterdir():
        if entry.name.startswith(LINK_PREFIX) and entry.is_symlink():
            entry.unlink(missing_ok=True)
        elif _is_our_build(entry) and entry.resolve() != current:
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def build_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the lock of one index directory's builds; a second builder waits (saying so) up to `timeout` s.

    The lock is an OS file lock, released by the kernel when its holder dies, so a killed build never
    leaves a stale lock behind.
    """
    path = builds_dir(index_dir) / LOCK_FILE
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning(
            "another build of %s is running; waiting up to %.0f s for it to finish (lock: %s)",
            index_dir,
            timeout,
            path,
        )
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise IndexBusyError(
                f"another build of {index_dir} still holds {path} after {timeout:.0f} s; let it finish, then "
                f"build again (the lock is released as soon as that process ends)"
            ) from None
    try:
        yield
    finally:
        lock.release()
