"""The assistant a long-running process answers from, swapped for a fresh one when a new index is published.

A reload opens the newly published build (the index folder is a symlink to it) and replaces the reference
in one assignment: a question already running keeps the Assistant it started with and finishes on the old
index; the next question gets the new one. Reloads are serialised by a lock; readers take no lock.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from index.loaded import default_index_dir

from .assistant import Assistant
from .retriever import Retriever


class LiveAssistant:
    """Holds the current Assistant of an index folder; `current` to answer, `reload()` after a publish."""

    def __init__(self, assistant: Assistant | None, index_dir: str | Path | None = None):
        self.index_dir = Path(index_dir) if index_dir else default_index_dir()
        self._current = assistant
        # The build it was loaded from: the index folder's target now (Assistant.load read through the link).
        self._loaded = self.published() if assistant is not None else None
        self._lock = threading.Lock()

    @property
    def current(self) -> Assistant | None:
        """The assistant to answer from (None until an index could be loaded)."""
        return self._current

    def published(self) -> str:
        """The build folder the index folder points to now (itself for a plain folder)."""
        return os.path.realpath(self.index_dir)

    def loaded(self) -> str | None:
        """The build folder the current assistant was loaded from."""
        return self._loaded

    def changed(self) -> bool:
        """Whether another build was published since the current assistant was loaded (e.g. by the CLI)."""
        return self.published() != self.loaded()

    def reload(self, *, warm_up: bool = True) -> Assistant:
        """Open the published build with the current encoder and retrieval settings and make it current.

        The build folder is opened by its resolved path, so a publish during the load cannot mix two builds.
        Raises what Retriever.load raises (IndexProblem); on error the current assistant stays.
        """
        with self._lock:
            old = self._current
            shared = {"embedder": old.retriever.embedder, "config": old.retriever.config} if old else {}
            build = self.published()
            # No check against the seeds folder: the published build is what to serve, and another add
            # may already have copied its file in (it publishes its own build next; see its test).
            fresh = Assistant(Retriever.load(build, **shared))
            if old is not None:
                fresh.scorer = old.scorer
            if warm_up:
                fresh.warm_up()
            self._current, self._loaded = fresh, build
            return fresh
