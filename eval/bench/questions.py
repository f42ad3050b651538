"""The questions a benchmark asks: the gold questions when the file is there, else a fixed few."""

from __future__ import annotations

from pathlib import Path

FIXED_QUESTIONS = (
    "漳州市工会组建率达到了多少？",
    "龙岩工会的“红土精神”是什么？",
    "衢州市总工会获得了多少项全国性先进？",
    "漳州全市有多少家工会驿站？",
    "厦门市总工会发放了多少慰问金？",
)


def questions(gold: Path | None) -> list[str]:
    """The gold questions when the file is there, else a fixed list."""
    if gold and gold.is_file():
        from ..gold import load_gold

        return [item.question for item in load_gold(gold)]
    return list(FIXED_QUESTIONS)
