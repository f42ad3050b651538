"""How far a long add has gone: readers say page N of M, the build says passages embedded of all.

Whoever wants to show it (the CLI, the web page) opens `reporting(callback)` around the work; readers and
the build call `step()`, which does nothing when no one listens. The callback gets (stage, done, total,
file name): stage "page" (a page read from its text layer), "ocr" (a page read by OCR) or "embed"
(passages embedded; no file name).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

Progress = Callable[[str, int, int, str], None]

_LISTENER: ContextVar[Progress | None] = ContextVar("progress", default=None)


@contextlib.contextmanager
def reporting(callback: Progress | None) -> Iterator[None]:
    """Send the steps made inside the block to callback(stage, done, total, name); None: to no one."""
    token = _LISTENER.set(callback)
    try:
        yield
    finally:
        _LISTENER.reset(token)


def step(stage: str, done: int, total: int, name: str = "") -> None:
    """Say how far a stage is (done of total, in the file `name`) to whoever listens."""
    listener = _LISTENER.get()
    if listener is not None:
        listener(stage, done, total, name)


@contextlib.contextmanager
def recorded() -> Iterator[dict[str, int]]:
    """Pass the steps made inside the block on to whoever listens, and keep each stage's total (stage: total),
    so that work taken from a cache can say it is done (`step(stage, total, total, name)`)."""
    outer = _LISTENER.get()
    totals: dict[str, int] = {}

    def listen(stage: str, done: int, total: int, name: str) -> None:
        totals[stage] = total
        if outer is not None:
            outer(stage, done, total, name)

    with reporting(listen):
        yield totals
