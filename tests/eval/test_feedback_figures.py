"""Feedback in the evaluation: python -m eval.feedback re-asks every 👎 on the current index and prints how many
are now answered right (a real process), and --world --feedback takes accepted feedback as a gold set of its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eval.world import gold_sets
from qa.feedback import DOWN, NOT_IN_REPORTS, FeedbackStore, check_correction

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "南平为困难职工建档多少户"
PASSAGE = "南平市总工会为困难职工建立档案16464户，列全省第一。"


def test_the_thumbs_down_now_answered_right_are_counted(tmp_path, small_index, embedder):
    from qa import Assistant

    store = FeedbackStore.beside(tmp_path / "idx")
    store.add(user="ann", question=QUESTION, answer="7000多场次", verdict=DOWN,
              correction=check_correction("16464户", PASSAGE))  # fmt: skip
    store.add(user="ann", question="厦门工会会员有多少", answer="60多万人次", verdict=DOWN,
              correction=check_correction(NOT_IN_REPORTS))  # fmt: skip
    store.add(user="bo", question="南平劳动竞赛多少场次", answer="一个过时的回答", verdict=DOWN)
    store.add(user="bo", question=QUESTION, answer="16464户", verdict="up")
    report = tmp_path / "REPORT.md"
    run = subprocess.run(
        [sys.executable, "-m", "eval.feedback", "--index-dir", str(tmp_path / "idx"), "--report", str(report)],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(
        r"(\d+) of (\d+) with a correction are now answered right; (\d+) of (\d+) without", run.stdout
    )
    assert found, run.stdout
    # What the same index answers now, asked here: the command's count agrees with it.
    assistant = Assistant.load(tmp_path / "idx", embedder=embedder)
    right = ("16464户" in (assistant.ask(QUESTION, k=2).answer or "")) + (
        assistant.ask("厦门工会会员有多少", k=2).answer is None
    )
    assert found.groups() == (str(right), "2", "1", "1")
    assert found.group(0) in report.read_text(encoding="utf-8")


def test_world_takes_accepted_feedback_as_a_set_of_its_own(tmp_path):
    gold = tmp_path / "gold_feedback.jsonl"
    line = {"id": "feedback-1", "question": QUESTION, "answers": ["16464户"], "sources": ["001_nanping.txt"],
            "evidence": PASSAGE, "kind": "number", "source": "feedback"}  # fmt: skip
    gold.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    sets = gold_sets(tmp_path / "no-training", feedback=True, feedback_gold=gold)
    assert sets[-1].name == "feedback" and [i.id for i in sets[-1].items] == ["feedback-1"]
    assert "feedback" not in [s.name for s in gold_sets(tmp_path / "no-training")]
    with pytest.raises(FileNotFoundError, match="反馈"):
        gold_sets(tmp_path / "no-training", feedback=True, feedback_gold=tmp_path / "none.jsonl")
    refused = subprocess.run([sys.executable, "-m", "eval", "--feedback"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)  # fmt: skip
    assert refused.returncode == 2 and "--feedback goes with --world" in refused.stderr
