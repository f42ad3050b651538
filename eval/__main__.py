"""Command line: python -m eval [--gold FILE] [--k 5] [--index-dir DIR] [--compare] [--loo] [--json] [--report FILE] [--cross]
[--world [--feedback]]."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from index.errors import IndexProblem
from index.store.spec import add_store_options, store_from_args

from .gold import DEFAULT_GOLD, load_gold
from .report import render, write_report
from .runner import CONFIGS, DEFAULT_CONFIG, run_configs
from .world import add_target_option

EXIT_USAGE = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m eval",
        description="Run the gold questions through the assistant and report the measures.",
    )
    parser.add_argument(
        "--gold", type=Path, default=DEFAULT_GOLD, help="gold JSON Lines file (default: eval/gold.jsonl)"
    )
    parser.add_argument(
        "--k", type=int, default=5, help="citations that count for hit@k and failures (default 5)"
    )
    parser.add_argument(
        "--index-dir", type=Path, default=None, help="index directory (default: the assistant's own)"
    )
    parser.add_argument(
        "--compare", action="store_true", help=f"run every configuration: {', '.join(CONFIGS)}"
    )
    parser.add_argument(
        "--loo",
        action="store_true",
        help="also refit the answer scorer leaving one report out at a time and print every fold (weights unchanged)",
    )
    parser.add_argument(
        "--world",
        action="store_true",
        help="fit and measure on the seeds and the training reports together: trust measures per gold set and "
        "kind, in-sample and leave one report out, and the risk-coverage curve (eval/world.py, eval/trust.py)",
    )
    add_target_option(parser)
    parser.add_argument(
        "--write",
        action="store_true",
        help="with --world: save the in-sample reranker and scorer as the assistant's weights (make fit)",
    )
    parser.add_argument(
        "--feedback",
        action="store_true",
        help="with --world: add the accepted staff feedback (eval/gold_feedback.jsonl) as a gold set of its own, "
        "fitted on and reported apart (in-sample and leave one report out); make fit FEEDBACK=1",
    )
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument(
        "--cross",
        action="store_true",
        help="score the questions across reports instead (eval/gold_compare.jsonl: tables, superlatives, lists)",
    )
    parser.add_argument(
        "--report", type=Path, help="write a Markdown report and a .png chart beside it (implies --compare)"
    )
    add_store_options(parser)
    args = parser.parse_args(argv)
    if args.k < 1:
        parser.error(f"--k {args.k}: must be at least 1")
    if args.feedback and not args.world:
        parser.error(
            "--feedback goes with --world (to score the feedback alone: --gold eval/gold_feedback.jsonl)"
        )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.cross:
        from .compare import main as cross

        return cross(
            (["--report", str(args.report)] if args.report else []) + (["--json"] if args.json else [])
        )
    if args.world:
        from .world_cli import run_world

        return run_world(target=args.target, report=args.report, write=args.write, feedback=args.feedback)
    try:
        items = load_gold(args.gold)
        names = list(CONFIGS) if args.compare or args.report else [DEFAULT_CONFIG]
        store = store_from_args(args)
        runs = run_configs(
            items, index_dir=args.index_dir, k=args.k, names=names, progress=_progress, store=store
        )
    except (OSError, ValueError, ImportError, IndexProblem) as exc:
        # Expected problems (missing gold file, bad line, stale index) carry their fix in the message.
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    gold = _shown(args.gold)
    if args.report:
        path, chart = write_report(runs, args.report, gold=gold)
        print(f"wrote {path}" + (f" and {chart}" if chart else ""), file=sys.stderr)
    if args.json:
        print(json.dumps({"gold": gold, "runs": [r.to_dict() for r in runs]}, ensure_ascii=False, indent=2))
    else:
        print(render(runs, gold=gold))
    if args.loo:
        from qa import Assistant

        from .fit.refit import measure
        from .fit.refit import render as render_loo

        held_out = measure(Assistant.load(args.index_dir, build_if_missing=True), items, write=None)
        text = "## Answer scorer: in-sample and leave one report out\n\n" + render_loo(held_out)
        print("\n" + text)
        if args.report:
            with open(args.report, "a", encoding="utf-8") as out:
                out.write("\n" + text + "\n")
    return 0


def _progress(name: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{name}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
