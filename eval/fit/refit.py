"""Refit the answer scorer: python -m eval.fit [--gold FILE] [--dry-run] [--c 1.0] [--world [--target 0.9]].

Fits qa/scorer_weights.json on the gold set, then prints the in-sample answer accuracy beside the
leave-one-report-out one (every fold and the pooled figure), overall and by kind.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from qa.rerank import WEIGHTS_FILE as RERANK_FILE

from ..gold import DEFAULT_GOLD, load_gold
from ..markdown import fmt, table
from ..runner import RunResult, run_questions
from ..world import add_target_option
from .rerank import collect_pools, fit_reranker, fused_hits, hits_at, loo_rerankers
from .scorer import C, collect, fit, fit_info, run_loo


def measure(
    assistant: Any, items: list, *, write: Path | None, c: float = C, rerank: bool = True
) -> dict[str, Any]:
    """Fit on all questions (in-sample run) and per held-out report (LOO run); write the weights when asked.

    With `rerank`, the passage reranker is fit first (in-sample, and per held-out report for the LOO run), and
    the answer scorer on the candidates it retrieves.
    """
    kept, kept_reranker = assistant.scorer, assistant.retriever.reranker
    reranker, loo_rr, rerank_figures = None, None, {}
    if rerank:
        assistant.retriever.reranker = None
        pools = collect_pools(assistant.retriever, items)
        reranker = fit_reranker(pools)
        loo_rr = loo_rerankers(pools)
        rerank_figures = {
            "fused": fused_hits(pools),
            "in_sample": hits_at(pools, lambda p: reranker),
            "leave_one_report_out": hits_at(pools, lambda p: loo_rr[p.fold]),
        }
    assistant.retriever.reranker = reranker
    examples = collect(assistant, items)
    scorer = fit(examples, c=c)
    assistant.scorer = scorer
    try:
        in_sample = run_questions(assistant, items, k=5, name="in-sample")
        loo, folds = run_loo(assistant, items, examples, c=c, rerankers=loo_rr)
    finally:
        assistant.scorer, assistant.retriever.reranker = kept, kept_reranker
    result = {
        "in_sample": in_sample,
        "loo": loo,
        "folds": folds,
        "scorer": scorer,
        "reranker": reranker,
        "rerank_figures": rerank_figures,
    }
    if write is not None:
        info = fit_info(
            examples,
            _figures(in_sample),
            {**_figures(loo), "folds": {r: _figures(f) for r, f in folds.items()}},
        )
        from dataclasses import replace

        scorer = replace(scorer, info=info)
        scorer.save(write)
        result["scorer"] = scorer
        if reranker is not None:
            reranker = replace(reranker, info={"fit_by": "python -m eval.fit", "hits": rerank_figures})
            reranker.save(write.parent / RERANK_FILE.name)
            result["reranker"] = reranker
    return result


def _figures(run: RunResult) -> dict[str, Any]:
    s = run.summary()
    return {
        "questions": s["questions"],
        "answer_acc": round(s["answer_acc"], 4) if s["answer_acc"] is not None else None,
        "no_answer_ok": round(s["no_answer_ok"], 4) if s["no_answer_ok"] is not None else None,
        "by_kind": {
            k: v["answer_acc"] if v["answer_acc"] is not None else v["no_answer_ok"]
            for k, v in run.by_kind().items()
        },
    }


def render(result: dict[str, Any]) -> str:
    """Markdown: in-sample vs leave-one-report-out, by kind, then every fold."""
    ins, loo, folds = result["in_sample"], result["loo"], result["folds"]
    kinds = list(ins.by_kind())
    rows = []
    for name, run in (("in-sample", ins), ("leave one report out", loo)):
        s, by = run.summary(), run.by_kind()
        rows.append(
            [name, s["hit@1"], s["answer_acc"], s["no_answer_ok"]]
            + [
                by[k]["answer_acc"] if by[k]["answer_acc"] is not None else by[k]["no_answer_ok"]
                for k in kinds
            ]
        )
    out = [table(["scorer", "hit@1", "answer acc", "no-answer ok", *kinds], rows)]
    fold_rows = []
    for report, run in folds.items():
        s = run.summary()
        fold_rows.append([report, s["questions"], s["answer_acc"], s["no_answer_ok"]])
    out.append(table(["held-out report", "questions", "answer acc", "no-answer ok"], fold_rows))
    fold_accs = [
        run.summary()["answer_acc"] for run in folds.values() if run.summary()["answer_acc"] is not None
    ]
    if result.get("rerank_figures"):
        rr = result["rerank_figures"]
        out.append(
            table(
                ["passages (answerable questions)", "hit@1", "hit@3", "hit@5"],
                [
                    [name, *rr[key].values()]
                    for name, key in (
                        ("fused order (no reranking)", "fused"),
                        ("reranked, in-sample", "in_sample"),
                        ("reranked, leave one report out", "leave_one_report_out"),
                    )
                ],
            )
        )
    out.append(
        f"Mean over folds: answer accuracy {fmt(sum(fold_accs) / len(fold_accs))}; "
        f"pooled: {fmt(loo.summary()['answer_acc'])}; decline threshold p={result['scorer'].threshold}."
    )
    return "\n\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fit", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSON Lines file")
    parser.add_argument("--dry-run", action="store_true", help="measure only; leave qa/scorer_weights.json")
    parser.add_argument("--c", type=float, default=C, help=f"inverse regularisation (default {C})")
    parser.add_argument(
        "--no-rerank", action="store_true", help="measure without the passage reranker (fused order)"
    )
    parser.add_argument(
        "--world",
        action="store_true",
        help="fit on every gold set of the training world with the abstention stage (what make fit ships)",
    )
    add_target_option(parser)
    args = parser.parse_args(argv)
    if args.target is not None and not args.world:
        parser.error("--target goes with --world (the abstention stage is fit on the training world)")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.world:
        from ..world_cli import run_world

        return run_world(target=args.target, write=not args.dry_run)
    from qa import Assistant
    from qa.scorer import WEIGHTS_FILE

    items = load_gold(args.gold)
    assistant = Assistant.load(build_if_missing=True)
    result = measure(
        assistant, items, write=None if args.dry_run else WEIGHTS_FILE, c=args.c, rerank=not args.no_rerank
    )
    print(render(result))
    if not args.dry_run:
        print(f"wrote {WEIGHTS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
