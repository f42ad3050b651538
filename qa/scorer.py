"""The answer scorer: a logistic model over candidate-span features, its weights read from scorer_weights.json.

The weights are fit by `python -m eval.fit` (scikit-learn, eval side only); here they are applied with plain
arithmetic so `qa` needs neither scikit-learn nor numpy to score.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WEIGHTS_FILE = Path(__file__).resolve().parent / "scorer_weights.json"


@dataclass(frozen=True)
class Scorer:
    """Weights per feature name, an intercept, and the probability below which the reports do not answer."""

    weights: Mapping[str, float]
    intercept: float
    threshold: float  # calibrated probability under which the assistant declines
    info: Mapping[str, Any] = field(default_factory=dict)  # how and on what the weights were fit

    @classmethod
    def load(cls, path: str | Path | None = None) -> Scorer:
        """Read a weights file (default: qa/scorer_weights.json)."""
        path = Path(path) if path else WEIGHTS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                weights={str(k): float(v) for k, v in data["weights"].items()},
                intercept=float(data["intercept"]),
                threshold=float(data["threshold"]),
                info=data.get("info", {}),
            )
        except FileNotFoundError:
            raise FileNotFoundError(
                f"scorer weights {path} not found; run: python -m eval.fit (it writes them)"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(
                f"scorer weights {path} are malformed ({exc!r}); expected weights, intercept and threshold; "
                "run: python -m eval.fit"
            ) from None

    def logit(self, features: Mapping[str, float]) -> float:
        """The linear score; features the weights do not know count zero."""
        return self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def probability(self, features: Mapping[str, float]) -> float:
        """The calibrated probability that this candidate is the answer."""
        return sigmoid(self.logit(features))

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "threshold": self.threshold,
            "weights": dict(self.weights),
            "info": dict(self.info),
        }

    def save(self, path: str | Path | None = None) -> Path:
        """Write the weights as readable JSON (atomically)."""
        path = Path(path) if path else WEIGHTS_FILE
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        return path


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
