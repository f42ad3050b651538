"""Quality floor: the real assistant on eval/gold.jsonl must keep hit@5, answer accuracy and city discipline."""

from __future__ import annotations

import pytest

from eval.gold import DEFAULT_GOLD, load_gold
from eval.runner import RunResult, run_questions

# 0.940 measured on the 268 questions (eval/REPORT.md). It was 0.96 with the old thesaurus, whose everyday-word
# groups were written knowing which gold paraphrases failed; the domain list that replaced it gives 0.94.
MIN_HIT_AT_5 = 0.93
# Measured on the 268-question gold set with the learned scorer: 0.835 in-sample (python -m eval.fit; 0.786 with
# the hand-set rules before it). The held-out (leave-one-report-out) figure is 0.794: eval/REPORT.md.
MIN_ANSWER_ACC = 0.82


@pytest.fixture(scope="module")
def run(assistant) -> RunResult:
    """Every gold question asked once through the session assistant (default configuration)."""
    return run_questions(assistant, load_gold(DEFAULT_GOLD), k=5)


def _listing(run: RunResult, *reasons: str) -> str:
    rows = [f for f in run.failures() if any(w in r for r in f["reasons"] for w in reasons)]
    return "\n".join(
        f"  {f['id']} {f['question']} -> {f['answer']!r} ({f['top_source']}): {f['reasons']}" for f in rows
    )


def test_retrieval_hit_at_5(run):
    hit = run.summary()["hit@5"]
    assert hit >= MIN_HIT_AT_5, (
        f"hit@5 {hit:.3f} < {MIN_HIT_AT_5}:\n{_listing(run, 'evidence not in the top')}"
    )


def test_answer_accuracy(run):
    acc = run.summary()["answer_acc"]
    assert acc >= MIN_ANSWER_ACC, (
        f"answer accuracy {acc:.3f} < {MIN_ANSWER_ACC}:\n{_listing(run, 'gold answer', 'declined an answerable')}"
    )


def test_no_unanswerable_question_answered_from_another_city(run):
    wrong = [r for r in run.results if r.score.wrong_city]
    assert not wrong, "unanswerable questions answered from another city's report:\n" + "\n".join(
        f"  {r.item.id} {r.item.question} -> {r.answer.answer!r} ({r.answer.citations[0].city})"
        for r in wrong
    )


def test_gold_covers_unanswerable_questions(run):
    # The city check above means nothing without unanswerable questions to ask.
    assert run.summary()["unanswerable"] > 0, "eval/gold.jsonl holds no unanswerable questions"
