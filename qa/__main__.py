"""CLI: python -m qa "问题" [--k 5] [--city 南平] [--json] [--index-dir DIR]; no question: a terminal chat on stdin."""

from __future__ import annotations

import argparse
import json
import sys

from index.errors import IndexProblem
from index.store.spec import add_store_options, store_from_args

from .format import format_answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa", description="Ask the union reports a question.")
    parser.add_argument(
        "question", nargs="?", help="the question; without it, questions are read line by line"
    )
    parser.add_argument("--k", type=int, default=5, help="how many passages to cite (default 5)")
    parser.add_argument("--city", default=None, help="only this city's reports")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.add_argument("--index-dir", default=None, help="index folder (default: $QA_INDEX_DIR or .index/)")
    add_store_options(parser)
    args = parser.parse_args(argv)
    try:
        from .assistant import Assistant

        # warm_up: the question readers load alongside the index (faster to the first answer on two cores).
        assistant = Assistant.load(
            args.index_dir, build_if_missing=True, warm_up=True, store=store_from_args(args)
        )
    except (IndexProblem, FileNotFoundError, ImportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    chat = assistant.chat()
    questions = [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    status = 0
    for question in questions:
        if args.question is None and not question.strip():
            continue
        try:
            answer = chat.ask(question, args.k, city=args.city)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        print(
            json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer),
            flush=True,
        )
        if args.question is None and not args.json:
            print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
