"""python -m eval --world: the trust measures over the training world, printed and written into eval/REPORT.md."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from index.errors import IndexProblem

from .gold import load_gold
from .markdown import replace_section
from .runner import run_questions
from .trust import TrustResult, known_places, measure, measures, plot, render, wrong_place
from .world import CACHE, TRAINING, all_items, gold_sets, places_index, training_dir, world_index

REPORT = Path(__file__).resolve().parent / "REPORT.md"
START, END = "<!-- world:start -->", "<!-- world:end -->"


def run_world(
    *, target: float | None = None, report: Path | None = None, write: bool = False, feedback: bool = False
) -> int:
    """Measure, print, and replace the world section of the report (default eval/REPORT.md); `feedback`: the
    accepted staff feedback (eval/gold_feedback.jsonl) joins the questions, as a gold set of its own."""
    from index.encode.embedder import Embedder
    from qa import Assistant

    from .world import PLACES_GOLD

    started = time.perf_counter()
    log = lambda msg: print(f"[{time.perf_counter() - started:6.0f}s] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    if training_dir() is None:
        print(
            f"note: {TRAINING} is absent (set QA_TRAINING_REPORTS to its folder); measuring on the seeds alone",
            file=sys.stderr,
        )
    try:
        embedder = Embedder.load()
        index_dir = world_index(embedder=embedder)
        sets = gold_sets(feedback=feedback)
        items = all_items(sets)
        assistant = Assistant.load(index_dir)
        log(f"{len(items)} questions over {len(assistant.sources())} reports")
        result = measure(assistant, items, target=target, log=log)
        places = Assistant.load(places_index(embedder=embedder))
        places.scorer, places.retriever.reranker = result.scorer, result.reranker
        result.extra["places"] = run_questions(places, load_gold(PLACES_GOLD), k=5, name="places")
    except (OSError, ValueError, ImportError, IndexProblem) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if write:  # the in-sample fit (with its abstention stage) becomes the assistant's weights
        from dataclasses import replace

        from qa.rerank import WEIGHTS_FILE as RERANK_FILE
        from qa.scorer import WEIGHTS_FILE

        figures = {
            "in_sample": {k: v for k, v in measures(result.in_sample.results).items()},
            "leave_one_report_out": {k: v for k, v in measures(result.loo.results).items()},
        }
        info = {
            "fit_by": "python -m eval --world --write" + (f" --target {target}" if target else ""),
            "questions": len(items),
            **figures,
            "abstain": result.scorer.info.get("abstain", {}),
        }
        replace(result.scorer, info=info).save(WEIGHTS_FILE)
        replace(result.reranker, info={"fit_by": "python -m eval --world --write"}).save(RERANK_FILE)
        log(f"wrote {WEIGHTS_FILE} and {RERANK_FILE}")
    groups = {s.name: {i.id for i in s.items} for s in sets}
    failures = CACHE / "failures.json"  # what went wrong, for reading (ignored folder)
    known = known_places([result.in_sample, result.loo, *result.extra.values()])
    runs = (("loo", result.loo), ("in_sample", result.in_sample))
    failures.write_text(
        json.dumps(
            {n: r.failures() for n, r in runs}
            | {
                f"{n}_wrong_place": [r.brief(5) for r in run.results if wrong_place(r, known)]
                for n, run in runs
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    text = render(result, groups, target=target)
    print(text)
    path = Path(report) if report else REPORT
    picture = plot(result, path.with_name("RISK.png"), target=target)
    write_section(path, text, picture)
    log(f"wrote {path}" + (f" and {picture}" if picture else ""))
    return 0


def write_section(path: Path, text: str, picture: Path | None) -> None:
    """Put the world section into the report, replacing the previous one."""
    body = (
        "## Training world: trust measures (python -m eval --world --target 0.95)\n\n"
        + (f"![Risk–coverage]({picture.name})\n\n" if picture else "")
        + text
    )
    replace_section(path, START, END, body)


__all__ = ["TrustResult", "run_world"]
