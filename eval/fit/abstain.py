"""Fitting the scorer's abstention stage: is the chosen answer right, given how it was chosen and how it fits?

Fit on held-out choices only (each question's pick by a scorer fit without its report), so the stage learns how
far the chooser's probability can be trusted on reports it has not seen, not on the ones it was fit on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.extract import answer_keys
from qa.scorer import Scorer, abstain_features

from .scorer import Example

C = 1.0  # L2 as the other fits; the stage has a few dozen features over some 500 choices


@dataclass(frozen=True)
class Choice:
    """One question's pick: the stage's features, whether the pick is right, whether it was answerable."""

    features: dict[str, float]
    right: bool
    answerable: bool
    fold: str


def choices(examples: Sequence[Example], scorer: Scorer) -> list[Choice]:
    """The picks ask() could state (a candidate, allowed by the year and place checks) with their features."""
    out = []
    for e in examples:
        feats = [c.features for c in e.candidates]
        keys = answer_keys(e.candidates)
        n, p = scorer.choose(feats, keys)
        if n is None or not e.answerable_here[n]:
            continue
        x = abstain_features(feats[n], p, scorer.runner_up(feats, keys, n))
        out.append(Choice(x, bool(e.labels[n]), e.item.answerable, e.fold))
    return out


def fit_abstainer(picks: Sequence[Choice], *, c: float = C) -> tuple[dict[str, float], float]:
    """L2 logistic regression of right against the features; returns (weights, intercept)."""
    import numpy as np
    from scipy.optimize import minimize

    names = sorted({n for p in picks for n in p.features})
    x = np.array([[p.features.get(n, 0.0) for n in names] for p in picks], dtype=float).reshape(
        len(picks), -1
    )
    y = np.array([p.right for p in picks], dtype=float)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        prob = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        eps = 1e-9
        total = (
            -float(np.sum(y * np.log(prob + eps) + (1 - y) * np.log(1 - prob + eps))) + 0.5 * float(w @ w) / c
        )
        diff = prob - y
        return total, np.append(x.T @ diff + w / c, diff.sum())

    result = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B")
    weights = {n: round(float(v), 4) for n, v in zip(names, result.x[:-1], strict=True) if abs(v) >= 1e-4}
    return weights, round(float(result.x[-1]), 4)


def threshold(picks: Sequence[Choice], scorer: Scorer, *, target: float | None = None) -> float:
    """The confidence threshold: with `target`, the lowest whose picks are right that often; else the one with
    the most right decisions (right answers plus declined unanswerable questions), the middle of its range."""
    conf = sorted(((scorer.confidence(p.features), p) for p in picks), key=lambda t: -t[0])
    cuts = sorted({0.0, 1.0, *(v for v, _ in conf)})
    mids = [(a + b) / 2 for a, b in zip(cuts, cuts[1:], strict=False)] or [0.5]
    if target is not None:
        ok = []
        for t in mids:
            given = [p for v, p in conf if v >= t]
            if given and sum(p.right for p in given) / len(given) >= target:
                ok.append(t)
        if ok:
            return round(min(ok), 4)
    unanswerable_declined = {id(p): not p.answerable for p in picks}

    def right(t: float) -> int:
        return sum(int(p.right) if v >= t else int(unanswerable_declined[id(p)]) for v, p in conf)

    scores = [right(t) for t in mids]
    best = [t for t, s in zip(mids, scores, strict=True) if s == max(scores)]
    return round(best[len(best) // 2], 4)


def with_abstainer(
    scorer: Scorer, picks: Sequence[Choice], *, target: float | None = None, c: float = C
) -> Scorer:
    """The scorer with an abstention stage fit on `picks` and its threshold."""
    weights, intercept = fit_abstainer(picks, c=c)
    staged = replace(scorer, abstain_weights=weights, abstain_intercept=intercept)
    return replace(staged, threshold=threshold(picks, staged, target=target))
