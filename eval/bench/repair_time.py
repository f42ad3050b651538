"""Time the sentence repair on a long report with cut paragraphs: python -m eval.bench.repair_time [--pages 40].

The report is invented (tests.documents.cut_report); a share of its paragraphs is cut at a random character,
as a page or column end cuts them, and the pieces stay in order. Prints seconds, paragraphs and how many
cut sentences came back whole.
"""

from __future__ import annotations

import argparse
import time

from index.text.layout import classify, split_lines
from index.text.repair import PhraseBook, repair_article
from tests.documents import cut_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.bench.repair_time", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--pages", type=int, default=40)
    args = parser.parse_args(argv)
    text, cut = cut_report(args.pages)
    blocks = classify(split_lines(text))
    phrases = PhraseBook([b.text for b in blocks])
    repair_article(blocks[:3], phrases)  # jieba's dictionaries load outside the timing
    started = time.perf_counter()
    result = repair_article(blocks, phrases)
    seconds = time.perf_counter() - started
    whole = {"".join(b.text for b in unit) for unit in result.units}
    restored = sum(1 for p in cut if p in whole)
    print(
        f"{args.pages} pages, {len(blocks)} paragraphs, {len(cut)} cut: repair {seconds:.2f} s, "
        f"{restored}/{len(cut)} cut sentences whole, {len(result.joins)} joins"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
