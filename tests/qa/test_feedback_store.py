"""The feedback store: bounded per user and overall, kept beside the index folder through rebuilds, and the gold
line an accepted entry becomes (read back by eval/gold.py)."""

from __future__ import annotations

import sqlite3

import pytest

from eval.gold import load_gold
from qa.feedback import (
    DOWN,
    NOT_IN_REPORTS,
    UP,
    FeedbackFull,
    FeedbackStore,
    check_correction,
    feedback_path,
    gold_kind,
)
from tests.sample_reports import REPORT_A

CITED = [{"source": "001_nanping.txt", "title": "在服务中求发展", "passage_id": "p1",
          "text": "南平市总工会为困难职工建立档案16464户，列全省第一。"}]  # fmt: skip


def test_entries_are_bounded_per_user_and_overall(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3", per_user=2, total=3)
    for _ in range(2):
        store.add(user="ann", question="南平建档多少户", answer="16464户", verdict=UP, citations=CITED)
    with pytest.raises(FeedbackFull, match="ann has stored 2"):
        store.add(user="ann", question="南平建档多少户", answer="16464户", verdict=UP)
    store.add(user="bo", question="南平建档多少户", answer="", verdict=DOWN)
    with pytest.raises(FeedbackFull, match="holds 3 entries"):
        store.add(user="cy", question="南平建档多少户", answer="", verdict=DOWN)
    assert [e.user for e in store.entries()] == ["bo", "ann", "ann"]  # newest first


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"verdict": "meh"}, "verdict"),
        ({"question": ""}, "question is empty"),
        ({"question": "问" * 501}, "question has 501"),
        ({"answer": "答" * 2001}, "answer has 2001"),
        ({"citations": [{"text": 5}]}, r"citations\[0\].text"),
        ({"citations": CITED * 11}, "11 citations"),
        ({"user": ""}, "user is empty"),
    ],
)
def test_every_field_is_checked(tmp_path, fields, problem):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    given = {"user": "ann", "question": "南平建档多少户", "answer": "", "verdict": DOWN, **fields}
    with pytest.raises(ValueError, match=problem):
        store.add(**given)
    assert store.entries() == []


def test_the_store_lives_beside_the_index_and_survives_a_rebuild(tmp_path, small_index, embedder):
    from index.build import build_index
    from index.loaded import Index
    from qa.feedback import index_version

    seeds, _ = small_index
    store = FeedbackStore.beside(tmp_path / "idx")
    assert store.path == feedback_path(tmp_path / "idx") == tmp_path / "idx.feedback.sqlite3"
    first = index_version(Index.load(tmp_path / "idx"))
    store.add(user="ann", question="南平建档多少户", answer="", verdict=DOWN, version=first)
    (seeds / "001_nanping.txt").write_text(REPORT_A + "\n南平市总工会新建职工书屋30家。\n", encoding="utf-8")
    build_index(seeds, tmp_path / "idx", embedder=embedder, quiet=True)
    assert [e.index_version for e in FeedbackStore.beside(tmp_path / "idx").entries()] == [first]
    assert index_version(Index.load(tmp_path / "idx")) != first
    rows = sqlite3.connect(store.path).execute("SELECT COUNT(*) FROM feedback").fetchone()
    assert rows == (1,)


def test_accepted_entries_become_gold_lines_and_rejected_ones_do_not(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    gold = tmp_path / "gold_feedback.jsonl"
    fix = check_correction("16464户", "南平市总工会为困难职工建立档案16464户")
    wrong = store.add(user="ann", question="南平为困难职工建档多少户", answer="7000多场次", verdict=DOWN,
                      citations=CITED, correction=fix)  # fmt: skip
    none = store.add(user="ann", question="厦门工会会员有多少", answer="60多万人次", verdict=DOWN,
                     correction=check_correction(NOT_IN_REPORTS))  # fmt: skip
    bare = store.add(user="bo", question="南平劳动竞赛多少场次", answer="", verdict=DOWN)
    liked = store.add(
        user="bo", question="南平为困难职工建档多少户", answer="16464户", verdict=UP, citations=CITED
    )
    entry, line = store.accept(wrong.id, by="ed", gold_file=gold)
    assert entry.status == "accepted" and entry.gold_id == line["id"] == f"feedback-{wrong.id}"
    assert (
        line["source"] == "feedback" and line["sources"] == ["001_nanping.txt"] and line["kind"] == "number"
    )
    assert store.accept(none.id, by="ed", gold_file=gold)[1]["kind"] == "unanswerable"
    with pytest.raises(ValueError, match="without a correction"):
        store.accept(bare.id, by="ed", gold_file=gold)
    assert store.reject(bare.id, by="ed").status == "rejected"
    with pytest.raises(ValueError, match="already rejected"):
        store.accept(bare.id, by="ed", gold_file=gold)
    store.accept(liked.id, by="ed", gold_file=gold)
    items = load_gold(gold)
    assert [(i.id, i.kind, i.answers) for i in items] == [
        (f"feedback-{wrong.id}", "number", ("16464户",)),
        (f"feedback-{none.id}", "unanswerable", ()),
        (f"feedback-{liked.id}", "number", ("16464户",)),
    ]


def test_a_correction_must_be_stated_by_its_passage_and_found_in_a_report(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    gold = tmp_path / "g.jsonl"
    unstated = store.add(user="ann", question="南平建档多少户", answer="", verdict=DOWN,
                         correction=check_correction("123户", "南平市总工会为困难职工建立档案16464户"))  # fmt: skip
    with pytest.raises(ValueError, match="does not state"):
        store.accept(unstated.id, by="ed", gold_file=gold)
    nowhere = store.add(user="ann", question="南平建档多少户", answer="", verdict=DOWN,
                        correction=check_correction("16464户", "全市建档16464户"))  # fmt: skip
    with pytest.raises(ValueError, match="in no report"):
        store.accept(nowhere.id, by="ed", gold_file=gold)
    assert not gold.exists() and {e.status for e in store.entries()} == {"new"}
    with pytest.raises(ValueError, match="passage without a correction"):
        check_correction("", "南平")


@pytest.mark.parametrize(
    "question, kind",
    [
        ("南平建档多少户", "number"),
        ("南平工会何时成立", "date"),
        ("南平劳模是谁", "entity"),
        ("什么是职工之家", "definition"),
    ],
)
def test_the_kind_is_read_from_the_question(question, kind):
    assert gold_kind(question, None) == kind


def test_a_user_may_change_a_verdict_and_correct_only_an_own_thumbs_down_awaiting_review(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    liked = store.add(user="ann", question="南平建档多少户", answer="16464户", verdict=UP, citations=CITED)
    fix = check_correction("16464户", CITED[0]["text"])
    with pytest.raises(ValueError, match="is a 👍"):
        store.correct(liked.id, "ann", fix)
    with pytest.raises(ValueError, match="not one of yours"):
        store.revise(liked.id, "bo", DOWN)
    assert store.revise(liked.id, "ann", DOWN).verdict == DOWN
    assert store.correct(liked.id, "ann", fix).correction == fix
    revised = store.revise(liked.id, "ann", UP)
    assert revised.verdict == UP and revised.correction is None
    store.reject(liked.id, by="ed")
    with pytest.raises(ValueError, match="already reviewed"):
        store.revise(liked.id, "ann", DOWN)
    assert len(store.entries()) == 1
