"""The index manifest: what was built, from what, with which model and packages; checked on every load."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from .kept import Kept

# 2: passages carry place, place_chain, date and declared; sidecars are sources. 3: byline cards (index.text.bylines).
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
PACKAGES = ("faiss-cpu", "sentence-transformers", "torch", "transformers", "bm25s", "jieba", "numpy")


# Files hashed in this process, by what stat says of them. An add hashed the 95 MB encoder five times (the
# previous build's check, the new build's block and checksums, the loads of the old and the new build): 0.35 s
# of a 10-page add (2026-12-03). As git's index does, a file modified within SETTLED_NS of being hashed is
# hashed again every time: a later write in the same clock tick would leave its size and mtime unchanged.
_HASHED: Kept[str] = Kept(64)
SETTLED_NS = 2_000_000_000


def sha256_file(path: Path) -> str:
    """The file's sha256 (hex); not read again while its inode, size and mtime are those it was hashed with."""
    info = os.stat(path)
    key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    known = _HASHED.get(key)
    if known is not None:
        return known
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    if time.time_ns() - info.st_mtime_ns > SETTLED_NS:
        _HASHED.put(key, digest.hexdigest())
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    from importlib import metadata  # builds only: 50 ms of imports a question-answering process never needs

    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_checksums(directory: Path) -> dict[str, dict[str, Any]]:
    """sha256 and size of every file of the index except the manifest, by path relative to the directory."""
    out = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST):
        out[path.relative_to(directory).as_posix()] = {
            "sha256": sha256_file(path),
            "bytes": path.stat().st_size,
        }
    return out


def make_manifest(
    directory: Path,
    *,
    model: dict[str, Any],
    sources: dict[str, str],
    counts: dict[str, int],
    skipped: dict[str, str],
) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": model,
        "sources": sources,
        "skipped": skipped,
        "counts": counts,
        "packages": package_versions(),
        "files": file_checksums(directory),
    }


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def read_manifest(directory: Path) -> dict[str, Any]:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def _project(index_dir: Path) -> Path:
    """The folder holding the index directory (the index directory itself is a symlink to its build).

    A build opened by its resolved path (a running app swapping to a new build does) lies in the hidden
    `.NAME.builds/` beside that link (index.publish.builds_dir), so its project is one folder further up.
    """
    holder = Path(os.path.abspath(index_dir)).parent
    if holder.name.startswith(".") and holder.name.endswith(".builds"):
        holder = holder.parent
    return holder.resolve()


def seeds_entry(seeds_dir: Path, index_dir: Path) -> str:
    """The manifest's seeds_dir: relative to the folder holding the index when the seeds lie inside it, so a
    copied or moved project reads its own reports and not the original's; absolute otherwise."""
    seeds = Path(seeds_dir).resolve()
    try:
        return seeds.relative_to(_project(index_dir)).as_posix()
    except ValueError:
        return str(seeds)


def seeds_path(manifest: dict[str, Any], index_dir: Path) -> Path | None:
    """The seeds folder a manifest names, relative ones (see seeds_entry) against the index's folder; older
    manifests hold an absolute path, read as it is. None when the manifest names none."""
    value = manifest.get("seeds_dir")
    if not isinstance(value, str) or not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else _project(index_dir) / path
