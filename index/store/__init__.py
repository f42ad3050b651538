"""Where vectors and keywords live: a `Store` protocol, one file per engine (faiss.py, milvus.py), `open_store`.

Each engine module offers the same four names: REQUIRED_FILES, write (a new build), publish (make it the index)
and load (a Store over a loaded index's passages). This is the one place that picks an engine by kind.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ..passage import Passage
from .base import Store
from .spec import FAISS, MILVUS, StoreSpec

_ENGINES = {FAISS: "faiss", MILVUS: "milvus"}

__all__ = ["Store", "StoreSpec", "engine", "open_store", "required_files"]


def engine(kind: str) -> ModuleType:
    """The engine module for a store kind (imported on first use: Milvus is an optional dependency)."""
    return importlib.import_module(f"{__name__}.{_ENGINES[kind]}")


def required_files(manifest: Any) -> tuple[str, ...]:
    """The files a manifest's checksums must cover for the engine it names (FAISS when it names none)."""
    on_milvus = isinstance(manifest, dict) and (manifest.get("store") or {}).get("kind") == MILVUS
    return engine(MILVUS if on_milvus else FAISS).REQUIRED_FILES


def open_store(
    spec: StoreSpec,
    directory: Path,
    manifest: dict[str, Any],
    passages: list[Passage],
    fix: str,
    *,
    token: str | None = None,
) -> Store:
    """The Store a built index's manifest names, checked against its passages; `fix` ends every error."""
    return engine(spec.kind).load(directory, manifest, passages, fix, token=token)
