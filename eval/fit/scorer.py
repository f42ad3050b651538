"""Fitting the answer scorer on the gold set, and measuring it leave-one-report-out.

Every candidate span of every gold question is labelled by the gold answers (right or not); a logistic model
over the candidates' features gives the weights, and the decline threshold is the probability that maximises
right decisions (right answers plus rightly declined questions) on the same questions.
The model is a conditional logit: each question chooses one of its candidates or "not answered".
A report's fold holds the questions whose first gold source is that report (file 000 holds two articles of one
city and counts as one report); unanswerable questions have no source and are dealt to the folds in turn.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from index.text.normalise import compact
from qa.extract import Candidate, Extraction, answer_keys, candidates
from qa.lists import as_list_question
from qa.question import Question, parse
from qa.scorer import DECISION_ONLY, Scorer, none_features

from .. import metrics
from ..gold import GoldItem
from ..runner import RunResult, run_questions

# Inverse regularisation of the logistic regression. Chosen by the LOO answer accuracy over 0.1, 0.3, 1, 3, 10
# on the 144-question gold set (eval/REPORT.md, "scorer"): flat from 0.3 to 3; 1 sits in the middle.
C = 1.0


@dataclass(frozen=True)
class Example:
    """One gold question with its candidates, their labels and what the assistant needs to decide."""

    item: GoldItem
    question: Question
    candidates: tuple[Candidate, ...]
    labels: tuple[bool, ...]
    answerable_here: tuple[bool, ...]  # the year check of Assistant._answers, per candidate
    fold: str


def is_right(text: str, item: GoldItem) -> bool:
    """A candidate's text answers the gold question as metrics.answer_correct would judge it."""
    if not item.answerable:
        return False
    got = compact(text)
    golds = [compact(g) for g in item.answers]
    if not got or len(got) > max(metrics.MAX_ANSWER_CHARS, max(map(len, golds)) + metrics.ANSWER_SLACK):
        return False
    return any(g in got for g in golds)


def folds_of(items: Sequence[GoldItem]) -> dict[str, str]:
    """Item id -> its report (the fold it is tested in)."""
    reports = sorted({i.sources[0].rsplit("/", 1)[-1] for i in items if i.sources})
    out: dict[str, str] = {}
    turn = 0
    for item in items:
        if item.sources:
            out[item.id] = item.sources[0].rsplit("/", 1)[-1]
        else:
            out[item.id] = reports[turn % len(reports)]
            turn += 1
    return out


def collect(assistant: Any, items: Sequence[GoldItem]) -> list[Example]:
    """Each gold question's candidates with features, as the assistant would see them."""
    folds = folds_of(items)
    out = []
    for item in items:
        # as ask() reads it: 哪几个节日 asks for the items, not a count (qa.lists.as_list_question)
        q = as_list_question(parse(item.question, prefer=assistant.index.place_codes()))
        scope = assistant.retriever.scope(q, None)
        hits: list = []
        if (scope is None or scope.search) and not assistant.absent_terms(q):  # else ask() declines first
            hits = [h for h in assistant.retrieve(q, 10) if scope is None or scope.may_answer(h.passage)]
        found = candidates(q, hits, assistant.weight) if hits else []
        labels = tuple(is_right(c.text, item) for c in found)
        allowed = tuple(  # probability 1: only the year and place checks of ask()
            assistant._answers(q, hits[c.hit], _extraction(c, 1.0))
            and (scope is None or scope.sentence_ok(hits[c.hit].passage, c.sentence))
            for c in found
        )
        out.append(Example(item, q, tuple(found), labels, allowed, folds[item.id]))
    return out


def _extraction(c: Candidate, probability: float) -> Extraction:
    return Extraction(c.hit, c.sentence, c.start, c.end, c.text, 0.0, c.coverage, probability)


# Features that say a candidate fits (or misfits) what the question asks may only count for (against) it: their
# size is learned, their sign is what they mean. With a few hundred questions, a fit feature seen a handful of
# times otherwise takes whatever sign its few examples happen to give (title_other came out positive).
POSITIVE = frozenset(
    "title_match head_fit unit_exact unit_compatible counted_fit list_size_fit place_for_where after_locative "
    "org_for_which_unit honor_for_honor document_for_document same_clause pull_before pull_after "
    "sentence_coverage local_overlap list_wanted form_fit same_segment focus_in_segment stretch_before stretch_after adjacent_phrase subset_asked items_echo gloss_of_named "
    "consequence_for_next condition_for_which condition_pull role_fit ordinal_fit partner_after_conjunction body_fit "
    "quote_fit change_fit sentence_best_counted sentence_best_phrase clause_chars focus_chars sentence_best_clause sentence_best_focus"
    # names, places, bodies, definitions (qa.features.entity_fit_features)
    " quote_for_name".split()
)
NEGATIVE = frozenset(
    "title_other title_absent deputy_unasked head_misfit unit_mismatch unit_missing list_size_misfit "
    "restates_quote named_in_question per_unit_mismatch no_term_in_sentence rarest_term_missing "
    "list_unwanted counted_absent counted_longer asked_place_missing clause_not_consequence clause_not_condition gloss_other overlong post_named form_misfit body_other "
    "quote_other counted_partial plan_mismatch change_missing code_like counter_other counted_other_modifier"
    # names, places, bodies, definitions (qa.features.entity_fit_features)
    " quote_unasked head_cut union_for_unit most_of_sentence term_itself".split()
)


# "Not answered" grows as the question's evidence in the passages shrinks.
_NONE_SIGNS: dict[str, tuple[float | None, float | None]] = {
    "best_passage_coverage": (None, 0.0),
    "best_sentence_coverage": (None, 0.0),
    "rarest_term_missing_everywhere": (0.0, None),
    "asked_place_missing_everywhere": (0.0, None),
}


def _bounds(names: Sequence[str]) -> list[tuple[float | None, float | None]]:
    return [(0.0, None) if n in POSITIVE else (None, 0.0) if n in NEGATIVE else (None, None) for n in names]


def fit(examples: Sequence[Example], *, c: float = C) -> Scorer:
    """A conditional logit over each question's candidates plus a "not answered" option, and its threshold.

    P(candidate) = exp(w·x) / (exp(b + v·z) + Σ exp(w·x')) over the question's candidates; b + v·z, the
    "not answered" option's score, weighs the question's evidence z (qa.scorer.none_features).
    The target is the right candidates (any of them), or "not answered" for a question none of whose
    candidates is right. L2 penalty |w|²/(2C) on every weight but b.
    """
    import numpy as np
    from scipy.optimize import minimize

    names = sorted(
        {n for e in examples for cand in e.candidates for n in cand.features if n not in DECISION_ONLY}
    )
    none_names = sorted({n for e in examples for n in none_features([k.features for k in e.candidates])})
    k = len(names)
    blocks = []
    for e in examples:
        x = np.array([[cand.features.get(n, 0.0) for n in names] for cand in e.candidates], dtype=float)
        evidence = none_features([cand.features for cand in e.candidates])
        z = np.array([1.0] + [evidence.get(n, 0.0) for n in none_names])
        y = np.array(e.labels, dtype=bool)
        blocks.append((x.reshape(len(e.candidates), k), z, y))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, v = theta[:k], theta[k:]
        total = 0.5 * (float(w @ w) + float(v[1:] @ v[1:])) / c
        grad_w, grad_v = w / c, np.append(0.0, v[1:] / c)
        for x, z, y in blocks:
            logits = np.append(x @ w, z @ v)
            top = logits.max()
            p = np.exp(logits - top)
            norm = p.sum()
            p /= norm
            target = np.append(y, not y.any()).astype(float)
            num = np.exp(logits - top) * target
            total -= float(np.log(num.sum() / norm))
            t = num / num.sum()
            diff = p - t
            grad_w += x.T @ diff[:-1] if len(x) else 0.0
            grad_v += z * diff[-1]
        return total, np.append(grad_w, grad_v)

    bounds = _bounds(names) + [(None, None)] + [_NONE_SIGNS.get(n, (None, None)) for n in none_names]
    result = minimize(loss, np.zeros(k + 1 + len(none_names)), jac=True, method="L-BFGS-B", bounds=bounds)
    w, v = result.x[:k], result.x[k:]
    weights = {n: round(float(x), 4) for n, x in zip(names, w, strict=True) if abs(x) >= 1e-4}
    none_weights = {n: round(float(x), 4) for n, x in zip(none_names, v[1:], strict=True)}
    scorer = Scorer(
        weights=weights, intercept=round(float(v[0]), 4), threshold=0.5, none_weights=none_weights
    )
    return replace(scorer, threshold=best_threshold(examples, scorer))


def decide(example: Example, scorer: Scorer) -> tuple[int | None, float]:
    """The candidate the scorer picks (None: no candidate) and its probability."""
    return scorer.decide([cand.features for cand in example.candidates], answer_keys(example.candidates))


def best_threshold(examples: Sequence[Example], scorer: Scorer) -> float:
    """The probability threshold with the most right decisions; the middle of the best range."""
    picks = [decide(e, scorer) for e in examples]

    def right(t: float) -> int:
        total = 0
        for e, (n, p) in zip(examples, picks, strict=True):
            answers = n is not None and p >= t and e.answerable_here[n]
            total += int(answers and e.labels[n]) if e.item.answerable else int(not answers)
        return total

    cuts = sorted({0.0, 1.0, *(p for _, p in picks)})
    mids = [(a + b) / 2 for a, b in zip(cuts, cuts[1:], strict=False)] or [0.5]
    scores = [right(t) for t in mids]
    top = max(scores)
    best = [t for t, s in zip(mids, scores, strict=True) if s == top]
    return round(best[len(best) // 2], 4)


def loo_scorers(examples: Sequence[Example], *, c: float = C) -> dict[str, Scorer]:
    """Per report: a scorer fit on the questions of the other reports."""
    reports = sorted({e.fold for e in examples})
    return {r: fit([e for e in examples if e.fold != r], c=c) for r in reports}


def simulated_accuracy(
    examples: Sequence[Example], scorer_of: Callable[[Example], Scorer]
) -> dict[str, float]:
    """Answer accuracy and right declines from the candidates alone (no ask(); for quick sweeps)."""
    right = answerable = declined_ok = unanswerable = 0
    for e in examples:
        scorer = scorer_of(e)
        n, p = decide(e, scorer)
        answers = n is not None and p >= scorer.threshold and e.answerable_here[n]
        if e.item.answerable:
            answerable += 1
            right += int(answers and e.labels[n])
        else:
            unanswerable += 1
            declined_ok += int(not answers)
    return {
        "answer_acc": right / answerable if answerable else 0.0,
        "no_answer_ok": declined_ok / unanswerable if unanswerable else 0.0,
    }


def run_loo(
    assistant: Any,
    items: Sequence[GoldItem],
    examples: Sequence[Example],
    *,
    k: int = 5,
    c: float = C,
    rerankers: dict[str, Any] | None = None,
) -> tuple[RunResult, dict[str, RunResult]]:
    """Every question asked once through the real assistant with the scorer fit without its report.

    `rerankers` (report -> a passage reranker fit without it): each fold is asked with its own, and its scorer
    is fit on the other reports' candidates as that reranker retrieves them.
    Returns the pooled run (all folds together) and each fold's run.
    """
    folds = folds_of(items)
    kept, kept_reranker = assistant.scorer, assistant.retriever.reranker
    if rerankers is None:
        scorers = loo_scorers(examples, c=c)
    else:
        scorers = {}
        for report, reranker in rerankers.items():
            assistant.retriever.reranker = reranker
            scorers[report] = fit(collect(assistant, [i for i in items if folds[i.id] != report]), c=c)
    per_fold: dict[str, RunResult] = {}
    try:
        for report, scorer in scorers.items():
            assistant.scorer = scorer
            if rerankers is not None:
                assistant.retriever.reranker = rerankers[report]
            fold_items = [i for i in items if folds[i.id] == report]
            per_fold[report] = run_questions(
                assistant, fold_items, k=k, name=f"held out {report}", warmup=False
            )
    finally:
        assistant.scorer, assistant.retriever.reranker = kept, kept_reranker
    pooled = tuple(r for run in per_fold.values() for r in run.results)
    order = {i.id: n for n, i in enumerate(items)}
    pooled = tuple(sorted(pooled, key=lambda r: order[r.item.id]))
    return RunResult("leave one report out", {}, k, pooled), per_fold


def fit_info(examples: Sequence[Example], in_sample: dict[str, Any], loo: dict[str, Any]) -> dict[str, Any]:
    """What the weights file records about its fit."""
    return {
        "fit_by": "python -m eval.fit",
        "model": f"conditional logit over each question's candidate spans and a not-answered option, C={C}",
        "questions": len(examples),
        "candidates": sum(len(e.candidates) for e in examples),
        "positives": sum(sum(e.labels) for e in examples),
        "in_sample": in_sample,
        "leave_one_report_out": loo,
        "date": _dt.date.today().isoformat(),
    }
