"""The manifest's schema: the keys and types a manifest must have before anything in it is trusted."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import IndexCorruptError, IndexStaleError
from .manifest import FORMAT_VERSION, MANIFEST

_SHA256 = re.compile(r"[0-9a-f]{64}")
# Every key a build writes, with its type: a missing or renamed one is corruption. Extra keys are allowed.
_TOP: dict[str, type] = {
    "format_version": int,
    "built_at": str,
    "model": dict,
    "sources": dict,
    "skipped": dict,
    "counts": dict,
    "packages": dict,
    "files": dict,
    "seeds_dir": str,
}
_MODEL: dict[str, type] = {"name": str, "sha256": str, "dim": int}
_FILE: dict[str, type] = {"sha256": str, "bytes": int}


def _is(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _typed(obj: dict, spec: dict[str, type], where: str) -> list[str]:
    problems = []
    for key, kind in spec.items():
        if key not in obj:
            problems.append(f"{where}{key!r} is missing")
        elif not _is(obj[key], kind):
            problems.append(f"{where}{key!r} is a {type(obj[key]).__name__}, not a {kind.__name__}")
    return problems


def _mapping(obj: dict, key: str, kind: type) -> list[str]:
    bad = [name for name, value in obj[key].items() if not _is(value, kind)]
    return [f"{key}[{bad[0]!r}] is not a {kind.__name__}"] if bad else []


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and name != MANIFEST


def _files(files: dict, required: tuple[str, ...]) -> list[str]:
    if not files:
        return ["'files' is empty, so no file could be checked"]
    problems = []
    for name, entry in files.items():
        if not _safe_name(name):
            problems.append(f"files has an entry {name!r} outside the index folder")
        elif not isinstance(entry, dict):
            problems.append(f"files[{name!r}] is a {type(entry).__name__}, not a dict")
        else:
            problems += _typed(entry, _FILE, f"files[{name!r}].")
            if _is(entry.get("sha256"), str) and not _SHA256.fullmatch(entry["sha256"]):
                problems.append(f"files[{name!r}].sha256 is not a sha256 hex digest")
            if _is(entry.get("bytes"), int) and entry["bytes"] < 0:
                problems.append(f"files[{name!r}].bytes is negative")
    for name in required:
        present = any(f.startswith(name) for f in files) if name.endswith("/") else name in files
        if not present:
            problems.append(f"files does not list {name}")
    return problems


def check_manifest(manifest: Any, directory: Path, fix: str, *, required_files: tuple[str, ...]) -> None:
    """IndexCorruptError naming the manifest, the first problems and the fix, unless it fits the schema.

    A manifest of another format version is IndexStaleError (its keys may differ). required_files are names
    the `files` checksums must cover; one ending in "/" means at least one file under that folder.
    """
    path = directory / MANIFEST
    if not isinstance(manifest, dict):
        raise IndexCorruptError(
            f"{path} holds a JSON {type(manifest).__name__}, not an index manifest (an object); {fix}"
        )
    version = manifest.get("format_version")
    if _is(version, int) and version != FORMAT_VERSION:
        raise IndexStaleError(
            f"{directory} has index format {version}, this code reads {FORMAT_VERSION}; {fix}"
        )
    problems = _typed(manifest, _TOP, "")
    if not problems:
        problems += _typed(manifest["model"], _MODEL, "model.")
        if _is(manifest["model"].get("dim"), int) and manifest["model"]["dim"] <= 0:
            problems.append("model.dim is not positive")
        if _is(manifest["model"].get("sha256"), str) and not _SHA256.fullmatch(manifest["model"]["sha256"]):
            problems.append("model.sha256 is not a sha256 hex digest")
        problems += _mapping(manifest, "sources", str) + _mapping(manifest, "skipped", str)
        problems += _mapping(manifest, "counts", int) + _mapping(manifest, "packages", str)
        problems += _files(manifest["files"], required_files)
    if problems:
        shown = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        raise IndexCorruptError(f"{path} is not a valid index manifest: {shown}; {fix}")
