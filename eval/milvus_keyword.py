"""Which keyword leg on Milvus scores better on the gold set: BM25 over our own tokens, or Milvus's jieba analyzer.

Run: python -m eval.milvus_keyword --index-dir DIR   (DIR built with --store milvus)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.errors import IndexProblem

from .gold import DEFAULT_GOLD, load_gold
from .markdown import row, rule
from .runner import run_questions

MEASURES = ("hit@1", "hit@5", "mrr@10", "answer_acc")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.milvus_keyword", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--index-dir", type=Path, required=True, help="an index built with --store milvus")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args(argv)
    from index.encode.embedder import Embedder
    from index.store.milvus import KEYWORD_MODES, MilvusStore
    from qa import Assistant, RetrievalConfig
    from qa.retriever import Retriever

    items = load_gold(args.gold)
    embedder = Embedder.load()
    try:
        base = Assistant.load(args.index_dir, embedder=embedder)
    except IndexProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not isinstance(base.index.store, MilvusStore):
        print(f"error: {args.index_dir} is not on Milvus; build it with --store milvus", file=sys.stderr)
        return 2
    print(row(["keyword leg", "configuration", *MEASURES]))
    print(rule("ll" + "r" * len(MEASURES)))
    for mode in KEYWORD_MODES:
        index = base.index.with_store(base.index.store.with_keyword(mode))
        for name, config in (
            ("keyword only", RetrievalConfig(dense=False, city_aware=False)),
            ("hybrid + city", RetrievalConfig()),
        ):
            assistant = Assistant(Retriever(index, embedder if config.dense else None, config))
            summary = run_questions(assistant, items, k=5, name=name, config=config).summary()
            print(row([mode, name, *(f"{summary[m]:.3f}" for m in MEASURES)]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
