"""CLI: python -m index build | stats | show PASSAGE_ID | add FILE... | remove REPORT | restore REPORT | trash | audit | list."""

from __future__ import annotations

import argparse
import sys

from .errors import IndexProblem
from .store.spec import add_store_options, store_from_args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index", description="Build and inspect the report index."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or refresh the index and print the summary")
    build.add_argument(
        "--seeds", default=None, help="folder of reports: .txt .md .docx .pdf .html (default: seeds/)"
    )
    build.add_argument("--index-dir", default=None, help="index folder (default: $QA_INDEX_DIR or .index/)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument(
        "--wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long to wait for another build of the same index to finish (default 900)",
    )
    add_store_options(build)
    stats = sub.add_parser("stats", help="what the index holds")
    stats.add_argument("--index-dir", default=None)
    show = sub.add_parser("show", help="one passage with its metadata and every location")
    show.add_argument("passage_id")
    show.add_argument("--index-dir", default=None)
    _add_report_commands(sub)
    args = parser.parse_args(argv)
    if getattr(args, "wait", None) is not None and not 0 <= args.wait < float("inf"):
        parser.error(f"--wait {args.wait} is not a number of seconds >= 0; pass e.g. --wait 60")
    try:
        if args.command in REPORT_COMMANDS:
            return REPORT_COMMANDS[args.command](args)
        if args.command == "build":
            from .build import build_index
            from .publish import LOCK_TIMEOUT_S
            from .summary import format_build

            wait = LOCK_TIMEOUT_S if args.wait is None else args.wait
            store = store_from_args(args)
            print(
                format_build(
                    build_index(args.seeds, args.index_dir, quiet=args.quiet, lock_timeout=wait, store=store)
                )
            )
        else:
            from .loaded import Index
            from .summary import format_passage, format_stats

            index = Index.load(args.index_dir)
            print(
                format_stats(index)
                if args.command == "stats"
                else format_passage(index.by_id(args.passage_id))
            )
    except (IndexProblem, OSError, ImportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    return 0


# --- add / remove / list: the report files of the seeds folder ---------------------------------------
def _add_report_commands(sub) -> None:
    add = sub.add_parser("add", help="add report files (.docx .pdf .html .txt .md) and rebuild the index")
    add.add_argument("files", nargs="+", metavar="FILE")
    add.add_argument("--title", default=None, help="the report's title (one file only)")
    add.add_argument("--place", default=None, help="the city it is about, e.g. 南平")
    add.add_argument("--date", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2013-06")
    add.add_argument("--name", default=None, help="file name to keep it under (one file only)")
    add.add_argument(
        "--replace", action="store_true", help="replace the report of that name (a corrected version)"
    )
    remove = sub.add_parser(
        "remove", help="move one report (and its sidecar) to the seeds folder's trash and rebuild the index"
    )
    remove.add_argument("report", help="its file name, as `python -m index list` shows it")
    restore = sub.add_parser(
        "restore", help="bring a removed report back from the trash and rebuild the index"
    )
    restore.add_argument("report", help="its file name, as `python -m index trash` shows it")
    trash = sub.add_parser("trash", help="the removed reports kept in the trash (30 days)")
    audit = sub.add_parser("audit", help="who added, replaced, removed or restored which report, and when")
    listing = sub.add_parser("list", help="the reports: title, place, date, passages, when added")
    for command in (add, remove, restore, trash, audit, listing):
        command.add_argument("--seeds", default=None, help="seeds folder (default: the index's, else seeds/)")
        command.add_argument("--index-dir", default=None)
    for command in (add, remove, restore):
        command.add_argument("--quiet", action="store_true", help="no progress bar")


def _seeds_for(args):
    """--seeds, else the folder the index was built from, else the project's seeds/."""
    from pathlib import Path

    from .reports import seeds_of

    return Path(args.seeds) if args.seeds else seeds_of(args.index_dir)


def _cmd_add(args) -> int:
    import time

    from .places.metadata import make_meta
    from .reports import add_reports

    started = time.perf_counter()
    if args.name and len(args.files) > 1:
        print("error: --name needs exactly one FILE", file=sys.stderr)
        return 2
    meta = make_meta(title=args.title, place=args.place, date=args.date)
    added, summary = add_reports(
        args.files,
        seeds_dir=_seeds_for(args),
        index_dir=args.index_dir,
        meta=meta,
        names=[args.name] if args.name else None,
        replace=args.replace,
        quiet=args.quiet,
        progress=None if args.quiet else _show_progress,
    )
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)  # end the progress line
    for report in added:
        p = report.preview
        print(
            f"added {report.path} ({p.kind}, {p.paragraphs} paragraphs; read as: title {p.title or '?'}, "
            f"place {p.city or '?'}, year {p.year or '?'})"
            + (f"; declared {meta.to_dict()} in {report.sidecar.name}" if report.sidecar else "")
        )
    print(
        f"index {summary.index_dir}: {summary.corpus.passages} passages, {summary.embedded} embedded, "
        f"{summary.reused} reused; {time.perf_counter() - started:.1f} s"
    )
    return 0


_STAGES = {"page": "reading page {} of {}", "ocr": "OCR page {} of {}", "embed": "{} of {} passages embedded"}


def _show_progress(stage: str, done: int, total: int, name: str) -> None:
    """Page N of M and passages embedded, on stderr: one line rewritten on a terminal, else about every
    tenth step as a line of its own (a log)."""
    line = (f"{name}: " if name else "") + _STAGES.get(stage, stage + " {} of {}").format(done, total)
    if sys.stderr.isatty():
        print(f"\r{line}\033[K", end="", file=sys.stderr, flush=True)
    elif done == total or done % max(1, total // 10) == 0:
        print(line, file=sys.stderr, flush=True)


def _cmd_remove(args) -> int:
    from .reports import change_report

    seeds = _seeds_for(args)
    _, summary = change_report(
        args.report, "remove", seeds_dir=seeds, index_dir=args.index_dir, quiet=args.quiet
    )
    print(
        f"removed {args.report} from {seeds} (kept in its trash 30 days: python -m index restore "
        f"{args.report}); index {summary.index_dir}: {summary.corpus.passages} passages"
    )
    return 0


def _cmd_restore(args) -> int:
    from .reports import change_report

    seeds = _seeds_for(args)
    path, summary = change_report(
        args.report, "restore", seeds_dir=seeds, index_dir=args.index_dir, quiet=args.quiet
    )
    print(f"restored {path} from the trash; index {summary.index_dir}: {summary.corpus.passages} passages")
    return 0


def _cmd_trash(args) -> int:
    import time

    from .reports import seeds_lock
    from .trash import list_trash

    seeds = _seeds_for(args)
    with seeds_lock(seeds):  # finishes a half-done remove or restore first
        entries = list_trash(seeds)
    for e in entries:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(e.removed))
        until = time.strftime("%Y-%m-%d", time.localtime(e.expires))
        print(f"{e.name} | removed {when} | kept until {until} | sha256 {(e.sha256 or '?')[:12]}")
    print(f"{len(entries)} reports in the trash of {seeds}; bring one back: python -m index restore NAME")
    return 0


def _cmd_audit(args) -> int:
    import time

    from .audit import read_log

    seeds = _seeds_for(args)
    entries = read_log(seeds, last=1000)
    for e in entries:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.when))
        print(f"{when} | {e.who} | {e.action} | {e.name} | sha256 {(e.sha256 or '?')[:12]}")
    print(f"{len(entries)} changes to {seeds}, newest first (seeds/.audit.jsonl)")
    return 0


def _cmd_list(args) -> int:
    from .loaded import Index
    from .reports import format_rows, list_report_rows

    try:
        index = Index.load(args.index_dir, verify=False)
    except IndexProblem as exc:
        index = None
        print(f"note: {exc}", file=sys.stderr)
    print(format_rows(list_report_rows(_seeds_for(args), index)))
    return 0


REPORT_COMMANDS = {
    "add": _cmd_add,
    "remove": _cmd_remove,
    "restore": _cmd_restore,
    "trash": _cmd_trash,
    "audit": _cmd_audit,
    "list": _cmd_list,
}


if __name__ == "__main__":
    sys.exit(main())
