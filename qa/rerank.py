"""Reranking the fused top passages by plain features of the question/passage match, weights from rerank_weights.json.

The fused score (BM25 plus a little of the dense leg) misses paraphrases whose evidence shares few rare words
with the question; a passage that holds a figure in the asked unit, the question's rarest term, or more of its
words' characters is more likely the evidence. The weights are fit by `python -m eval.fit` (a conditional logit
over each gold question's top passages, eval/fit/rerank.py) and applied here with plain arithmetic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.passage import Passage
from index.text import figures

from .question import Question
from .weights_file import WeightsFile, floats

WEIGHTS_FILE = Path(__file__).resolve().parent / "rerank_weights.json"
# How many fused passages are reranked: on the 268 gold questions 0.98 of the evidence is in the fused top 10
# and all that is found at all is in the top 20 (python -m eval.fit prints the measured depth).
DEPTH = 20
_DATE = re.compile(figures.YEAR + r"年|\d{1,2}月\d{1,2}日|年代")


@dataclass(frozen=True)
class Reranker(WeightsFile, file=WEIGHTS_FILE, what="rerank", expected="weights and depth"):
    """Weights per feature name; a passage's rerank score is their weighted sum."""

    weights: Mapping[str, float]
    depth: int = DEPTH
    info: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reranker:
        return cls(
            weights=floats(data["weights"]), depth=int(data.get("depth", DEPTH)), info=data.get("info", {})
        )

    def score(self, features: Mapping[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def to_dict(self) -> dict[str, Any]:
        return {"depth": self.depth, "weights": dict(self.weights), "info": dict(self.info)}


def _bigrams(word: str) -> set[str]:
    return {word[i : i + 2] for i in range(len(word) - 1)}


def features(
    q: Question,
    passage: Passage,
    *,
    keyword: float,
    dense: float,
    fused: float,
    rank: int,
    weight: Callable[[str], float],
) -> dict[str, float]:
    """The measurements a passage is reranked by (keyword and dense already normalised to the pool's best)."""
    text = passage.text.lower()
    terms = [t for t in q.terms if len(t) >= 2 and weight(t) > 0]
    total = sum(weight(t) for t in terms) or 1.0
    found = [t for t in terms if t in text]
    related = [
        t for t in terms if t not in found and any(w in text for w in q.synonyms.get(t, ()))
    ]  # the report's other word for a missing term
    grams = set().union(*(_bigrams(t) for t in terms)) if terms else set()
    f = {
        "keyword": keyword,
        "dense": dense,
        "fused": fused,
        "fused_rank": 1.0 / (1.0 + rank),
        "coverage": sum(weight(t) for t in found) / total,
        "coverage_related": sum(weight(t) for t in related) / total,
        "rarest_present": float(bool(terms) and max(terms, key=weight) in text),
        "bigram_share": sum(g in text for g in grams) / len(grams) if grams else 0.0,
        "length": min(len(text), 300) / 300.0,
    }
    if q.kind == "number":
        units = [figures.unit_of(m.group()) for m in figures.NUMBER.finditer(text)]
        f["figure_any"] = float(bool(units))
        if q.unit:
            f["figure_in_unit"] = float(any(u and figures.units_compatible(q.unit, u) for u in units))
    if q.kind == "date":
        f["date_any"] = float(bool(_DATE.search(text)))
    if q.year is not None:
        f["year_named"] = float(passage.year == q.year or str(q.year) in text)
    return f


def softmax_scores(scores: list[float]) -> list[float]:
    """exp(s - best): the best passage 1.0, the others below it, as the fused scores were."""
    top = max(scores, default=0.0)
    return [math.exp(s - top) for s in scores]
