"""Fitting the passage reranker (qa/rerank.py) on the gold set, and measuring it leave-one-report-out.

Each answerable gold question's fused top passages (qa.rerank.DEPTH) with their features; the passages that hold
the gold evidence are the right ones. A conditional logit over each question's passages gives the weights.
Only questions with the evidence somewhere in their pool teach anything; the others are left out of the fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from index.passage import Passage
from index.text.normalise import compact
from qa.question import parse
from qa.rerank import DEPTH, Reranker

from ..gold import GoldItem
from ..metrics import same_source
from .scorer import folds_of

C = 1.0  # L2 as the answer scorer's (eval/fit/scorer.py); LOO hit@5 is flat between 0.3 and 3 (eval.fit.refit prints it)


@dataclass(frozen=True)
class Pool:
    """One gold question's fused top passages: features per passage, which hold the evidence, its fold."""

    item: GoldItem
    features: tuple[dict[str, float], ...]
    labels: tuple[bool, ...]
    fold: str


def holds_evidence(passage: Passage, item: GoldItem) -> bool:
    """The passage (or a copy of it) comes from a gold source and holds the evidence: as metrics.is_hit."""
    places = [passage.source, *(loc.source for loc in passage.also_in)]
    if not any(same_source(p, s) for p in places for s in item.sources):
        return False
    return compact(item.evidence) in compact(passage.text)


def collect_pools(retriever: Any, items: Sequence[GoldItem]) -> list[Pool]:
    """Every answerable gold question's pool, as the retriever sees it."""
    folds = folds_of(items)
    out = []
    for item in items:
        if not item.answerable:
            continue
        q = parse(item.question, prefer=retriever.index.place_codes())
        pool = retriever.candidates(q)
        labels = tuple(holds_evidence(retriever.index.passages[row], item) for row, _ in pool)
        out.append(Pool(item, tuple(f for _, f in pool), labels, folds[item.id]))
    return out


def fit_reranker(pools: Sequence[Pool], *, c: float = C) -> Reranker:
    """A conditional logit over each question's passages (the evidence passages are the target); L2 |w|²/2C."""
    import numpy as np
    from scipy.optimize import minimize

    used = [p for p in pools if any(p.labels)]
    names = sorted({n for p in used for f in p.features for n in f})
    k = len(names)
    blocks = [
        (
            np.array([[f.get(n, 0.0) for n in names] for f in p.features], dtype=float).reshape(-1, k),
            np.array(p.labels, dtype=float),
        )
        for p in used
    ]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * float(w @ w) / c, w / c
        for x, y in blocks:
            logits = x @ w
            top = logits.max()
            e = np.exp(logits - top)
            p = e / e.sum()
            t = e * y / (e * y).sum()
            total -= float(np.log((e * y).sum() / e.sum()))
            grad = grad + x.T @ (p - t)
        return total, grad

    result = minimize(loss, np.zeros(k), jac=True, method="L-BFGS-B")
    weights = {n: round(float(x), 4) for n, x in zip(names, result.x, strict=True) if abs(x) >= 1e-4}
    return Reranker(weights=weights, depth=DEPTH)


def hits_at(pools: Sequence[Pool], reranker_of, cutoffs=(1, 3, 5)) -> dict[str, float]:
    """hit@k of the reranked pools (a question whose evidence is in no pool counts as a miss)."""
    out = {f"hit@{c}": 0 for c in cutoffs}
    for pool in pools:
        reranker = reranker_of(pool)
        order = sorted(range(len(pool.features)), key=lambda i: -reranker.score(pool.features[i]))
        first = next((n for n, i in enumerate(order, 1) if pool.labels[i]), None)
        for c in cutoffs:
            out[f"hit@{c}"] += int(first is not None and first <= c)
    return {key: round(v / len(pools), 4) for key, v in out.items()} if pools else out


def fused_hits(pools: Sequence[Pool], cutoffs=(1, 3, 5)) -> dict[str, float]:
    """hit@k in fused order (before reranking)."""
    out = {f"hit@{c}": 0 for c in cutoffs}
    for pool in pools:
        first = next((n for n, y in enumerate(pool.labels, 1) if y), None)
        for c in cutoffs:
            out[f"hit@{c}"] += int(first is not None and first <= c)
    return {key: round(v / len(pools), 4) for key, v in out.items()} if pools else out


def loo_rerankers(pools: Sequence[Pool], *, c: float = C) -> dict[str, Reranker]:
    """Per report: a reranker fit on the other reports' questions."""
    return {r: fit_reranker([p for p in pools if p.fold != r], c=c) for r in sorted({p.fold for p in pools})}
