"""Time the sentence repair on a long report with cut paragraphs: python -m eval.repair_time [--pages 40].

The report is invented (eval.documents.long_report); a share of its paragraphs is cut at a random character,
as a page or column end cuts them, and the pieces stay in order. Prints seconds, paragraphs and how many
cut sentences came back whole.
"""

from __future__ import annotations

import argparse
import random
import time

from index.layout import classify, split_lines
from index.repair import PhraseBook, repair_article

from .documents import long_report


def cut_report(pages: int, seed: int = 3, share: float = 0.4) -> tuple[str, list[str]]:
    """The report's text with `share` of its paragraphs cut in two, and the paragraphs that were cut."""
    rng = random.Random(seed)
    title, paragraphs = long_report(pages=pages, seed=seed)
    pieces, cut = [], []
    for paragraph in paragraphs:
        if rng.random() < share:
            at = rng.randint(12, len(paragraph) - 12)
            while paragraph[at - 1] in "。，、；" or paragraph[at] in "。，、；":
                at += 1
            pieces += [paragraph[:at], paragraph[at:]]
            cut.append(paragraph)
        else:
            pieces.append(paragraph)
    return f"# {title}\n\n" + "\n\n".join(pieces) + "\n", cut


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.repair_time", description=__doc__.splitlines()[0])
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
