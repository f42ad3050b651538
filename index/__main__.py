"""CLI: python -m index build | stats | show PASSAGE_ID."""

from __future__ import annotations

import argparse
import sys

from .errors import IndexProblem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index", description="Build and inspect the report index."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or refresh the index and print the summary")
    build.add_argument("--seeds", default=None, help="folder of .txt reports (default: seeds/)")
    build.add_argument("--index-dir", default=None, help="index folder (default: $QA_INDEX_DIR or .index/)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument(
        "--wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long to wait for another build of the same index to finish (default 900)",
    )
    stats = sub.add_parser("stats", help="what the index holds")
    stats.add_argument("--index-dir", default=None)
    show = sub.add_parser("show", help="one passage with its metadata and every location")
    show.add_argument("passage_id")
    show.add_argument("--index-dir", default=None)
    args = parser.parse_args(argv)
    if getattr(args, "wait", None) is not None and not 0 <= args.wait < float("inf"):
        parser.error(f"--wait {args.wait} is not a number of seconds >= 0; pass e.g. --wait 60")
    try:
        if args.command == "build":
            from .build import build_index
            from .publish import LOCK_TIMEOUT_S
            from .summary import format_build

            wait = LOCK_TIMEOUT_S if args.wait is None else args.wait
            print(format_build(build_index(args.seeds, args.index_dir, quiet=args.quiet, lock_timeout=wait)))
        else:
            from .store import Index
            from .summary import format_passage, format_stats

            index = Index.load(args.index_dir)
            print(
                format_stats(index)
                if args.command == "stats"
                else format_passage(index.by_id(args.passage_id))
            )
    except (IndexProblem, OSError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
