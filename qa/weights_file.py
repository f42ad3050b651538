"""Read and write the fitted weights files (qa/scorer_weights.json, qa/rerank_weights.json): readable JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

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


def floats(mapping: dict[str, Any]) -> dict[str, float]:
    """A JSON object of weights by feature name as {name: float}."""
    return {str(k): float(v) for k, v in mapping.items()}


class WeightsFile:
    """Loading and saving for a fitted model held in one weights file (the Scorer, the Reranker).

    A subclass names its default file, what it is and what the file holds (class keywords file=, what=,
    expected=), and maps the file's JSON with from_dict/to_dict.
    """

    FILE: ClassVar[Path]
    WHAT: ClassVar[str]
    EXPECTED: ClassVar[str]

    def __init_subclass__(cls, *, file: Path, what: str, expected: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.FILE, cls.WHAT, cls.EXPECTED = file, what, expected

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def load(cls, path: str | Path | None = None) -> Self:
        """Read a weights file (default: the class's FILE)."""
        return read_weights(
            Path(path) if path else cls.FILE, cls.from_dict, what=cls.WHAT, expected=cls.EXPECTED
        )

    def save(self, path: str | Path | None = None) -> Path:
        """Write the weights as readable JSON (atomically)."""
        return write_weights(Path(path) if path else self.FILE, self.to_dict())
