"""Shared fixtures: the real model, a real index built once per session from seeds/, the assistant on it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def embedder():
    """The real m3e-small model, loaded once."""
    from index.encode.embedder import Embedder

    return Embedder.load()


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory, embedder) -> Path:
    """An index of the five reports, built once per session under a temp dir."""
    from index.build import build_index

    target = tmp_path_factory.mktemp("index") / "idx"
    build_index(SEEDS, target, embedder=embedder, quiet=True)
    return target


@pytest.fixture(scope="session")
def assistant(index_dir, embedder):
    """The real assistant over the session index."""
    from qa import Assistant

    return Assistant.load(index_dir, embedder=embedder)


@pytest.fixture(scope="session")
def milvus_index_dir(tmp_path_factory, index_dir, embedder):
    """The seeds built into Milvus Lite; the FAISS index is copied in first so its vectors are reused."""
    pytest.importorskip("milvus_lite")
    import shutil

    from index.build import build_index
    from index.publish import builds_dir
    from index.store.spec import StoreSpec

    root = tmp_path_factory.mktemp("milvus")
    target = root / index_dir.name
    # The session index's layout (its builds folder and the link to the current build), so the build owns it.
    shutil.copytree(builds_dir(index_dir), builds_dir(target), symlinks=True)
    os.symlink(os.readlink(index_dir), target)
    spec = StoreSpec("milvus", str(root / "lite.db"))
    summary = build_index(SEEDS, target, embedder=embedder, quiet=True, store=spec)
    assert summary.embedded == 0, "vectors are reused by content hash across stores"
    return target, spec


@pytest.fixture
def small_index(tmp_path, embedder) -> tuple[Path, Path]:
    """A seeds folder with one short report (Nanping) and its index, both this test's to change."""
    from index.build import build_index
    from tests.sample_reports import REPORT_A

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_nanping.txt").write_text(REPORT_A, encoding="utf-8")
    build_index(seeds, tmp_path / "idx", embedder=embedder, quiet=True)
    return seeds, tmp_path / "idx"
