"""The answer scorer: a conditional logit over a question's candidate spans, weights from scorer_weights.json.

The weights are fit by `python -m eval.fit` (scikit-learn, eval side only); here they are applied with plain
arithmetic so `qa` needs neither scikit-learn nor numpy to score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .weights_file import WeightsFile, floats

WEIGHTS_FILE = Path(__file__).resolve().parent / "scorer_weights.json"


@dataclass(frozen=True)
class Scorer(WeightsFile, file=WEIGHTS_FILE, what="scorer", expected="weights, intercept and threshold"):
    """Weights per feature name, an intercept, and the probability below which the reports do not answer."""

    weights: Mapping[str, float]
    intercept: float  # the score of "not answered"
    threshold: float  # probability of the chosen candidate under which the assistant declines
    info: Mapping[str, Any] = field(default_factory=dict)  # how and on what the weights were fit
    none_weights: Mapping[str, float] = field(
        default_factory=dict
    )  # "not answered" weighs the question's evidence

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorer:
        return cls(
            weights=floats(data["weights"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            info=data.get("info", {}),
            none_weights=floats(data.get("none_weights", {})),
        )

    def logit(self, features: Mapping[str, float]) -> float:
        """A candidate's linear score; features the weights do not know count zero."""
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def choose(
        self, candidates: Sequence[Mapping[str, float]], keys: Sequence[str] | None = None
    ) -> tuple[int | None, float]:
        """The best candidate's index and its probability among the candidates and "not answered".

        P(c) = exp(logit c) / (exp(none) + Σ exp(logit c')), where none = intercept + none_weights · the
        question's evidence (none_features): "not answered" is one more option of the same model.
        With `keys` (each candidate's answer text), candidates that give the same answer pool their probability:
        the same words offered as a list, a clause and a tail are one answer, as the fit's target counts them.
        """
        if not candidates:
            return None, 0.0
        logits = [self.logit(f) for f in candidates]
        best = max(range(len(logits)), key=logits.__getitem__)
        none = self.none_logit(candidates)
        top = max(logits[best], none)
        z = math.exp(none - top) + sum(math.exp(v - top) for v in logits)
        if keys is None:
            return best, math.exp(logits[best] - top) / z
        same = sum(math.exp(v - top) for v, k in zip(logits, keys, strict=True) if k == keys[best])
        return best, same / z

    def none_logit(self, candidates: Sequence[Mapping[str, float]]) -> float:
        """The score of "not answered" for a question with these candidates."""
        evidence = none_features(candidates)
        return self.intercept + sum(self.none_weights.get(n, 0.0) * v for n, v in evidence.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "threshold": self.threshold,
            "weights": dict(self.weights),
            "none_weights": dict(self.none_weights),
            "info": dict(self.info),
        }


def none_features(candidates: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """The question's evidence as a whole: how much of it the best passage and sentence hold."""
    if not candidates:
        return {}
    return {
        "best_passage_coverage": max(c.get("passage_coverage", 0.0) for c in candidates),
        "best_sentence_coverage": max(c.get("sentence_coverage", 0.0) for c in candidates),
        "rarest_term_missing_everywhere": min(c.get("rarest_term_missing", 0.0) for c in candidates),
        "asked_place_missing_everywhere": min(c.get("asked_place_missing", 0.0) for c in candidates),
    }
