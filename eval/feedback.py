"""Staff feedback as figures: how many 👎 answers the current build now gets right, re-asked on the current index.

python -m eval.feedback [--index-dir DIR] [--db FILE] [--report FILE]: each 👎 is asked again; one with a
correction is right when the new answer holds the corrected figure (or declines, for 报告中没有), as the gold
metrics score it; one without a correction only counts as changed or not.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .gold import parse_line
from .markdown import replace_section

START, END = "<!-- feedback:start -->", "<!-- feedback:end -->"


@dataclass(frozen=True)
class Recheck:
    """The 👎 re-asked: how many, how many had a correction, how many the current build now gets right."""

    downvotes: int
    corrected: int
    now_right: int
    changed: int  # of those without a usable correction: the answer is no longer the one disliked

    def line(self) -> str:
        return (
            f"👎 re-asked on the current index: {self.now_right} of {self.corrected} with a correction are now "
            f"answered right; {self.changed} of {self.downvotes - self.corrected} without one now get another "
            f"answer ({self.downvotes} 👎 in all)"
        )


def recheck(assistant: Any, entries: list[Any]) -> Recheck:
    """Re-ask every 👎 entry (qa.feedback.Feedback) on this assistant and score the answers against the corrections."""
    import json

    from qa.feedback import DOWN, gold_line

    from .metrics import score

    downs = [e for e in entries if e.verdict == DOWN]
    corrected = right = changed = 0
    passages = assistant.index.passages
    for entry in downs:
        answer = assistant.ask(entry.question, k=min(5, assistant.passage_count))
        try:
            item = parse_line(json.dumps(gold_line(entry, passages), ensure_ascii=False))
        except ValueError:  # no usable correction: only whether the disliked answer changed
            changed += (answer.answer or "") != entry.answer
            continue
        corrected += 1
        scored = score(answer, item)
        right += scored.correct if item.answerable else scored.declined
    return Recheck(len(downs), corrected, right, changed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.feedback", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--index-dir", type=Path, default=None, help="index directory (default: the assistant's own)"
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="feedback file (default: beside the index folder)"
    )
    parser.add_argument(
        "--report", type=Path, default=None, help="also write the line into this report (eval/REPORT.md)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from index.errors import IndexProblem
    from index.loaded import default_index_dir
    from qa import Assistant
    from qa.feedback import FeedbackStore

    index_dir = args.index_dir or default_index_dir()
    store = FeedbackStore(args.db) if args.db else FeedbackStore.beside(index_dir)
    if not store.path.is_file():
        print(
            f"note: no feedback file at {store.path} yet (pass --db FILE or --index-dir DIR)", file=sys.stderr
        )
    try:
        entries = store.entries(limit=1_000_000)
        result = recheck(Assistant.load(index_dir), entries) if entries else Recheck(0, 0, 0, 0)
    except (OSError, ValueError, IndexProblem) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.line())
    if args.report:
        replace_section(
            args.report, START, END, f"## Staff feedback (python -m eval.feedback)\n\n{result.line()}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
