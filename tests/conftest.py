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
    from index.embedder import Embedder

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
