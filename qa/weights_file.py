"""Read and write the fitted weights files (qa/scorer_weights.json, qa/rerank_weights.json): readable JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def read_weights(path: Path, parse: Callable[[dict[str, Any]], T], *, what: str, expected: str) -> T:
    """parse(the file's JSON); a missing or malformed file raises an error that names the command refitting it."""
    try:
        return parse(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{what} weights {path} not found; run: python -m eval.fit (it writes them)"
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(
            f"{what} weights {path} are malformed ({exc!r}); expected {expected}; run: python -m eval.fit"
        ) from None


def write_weights(path: Path, data: dict[str, Any]) -> Path:
    """Write the weights as readable JSON, atomically (a reader never sees half a file)."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
