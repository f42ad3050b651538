"""Deduplication of report paragraphs: exact (after normalisation) and near (character shingles).

Near-duplicate threshold, chosen on these reports: Jaccard >= 0.8 of 5-character shingles, or the
shorter text's shingles >= 0.9 contained in the longer one. Repeated paragraphs in the Longyan article
score 1.0; different paragraphs that share a long tail (a changed lead-in of 70+ characters) stay
below 0.65, so they are kept apart. Texts of different cities are never merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .normalise import compact

SHINGLE = 5
JACCARD_MIN = 0.8
CONTAINMENT_MIN = 0.9

T = TypeVar("T")


@dataclass(frozen=True)
class Merge:
    """One removed copy: which item was kept, which was dropped, and how they matched."""

    kept: int
    dropped: int
    how: str  # "exact" or "near"
    similarity: float


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Character n-grams of the compacted text (the whole text when shorter than n)."""
    key = compact(text)
    if len(key) <= size:
        return {key} if key else set()
    return {key[i : i + size] for i in range(len(key) - size + 1)}


def find_duplicates(
    items: Sequence[T], text: Callable[[T], str], group: Callable[[T], object]
) -> list[Merge]:
    """Pairs to merge, each dropped item pointing at the item kept (the longer text; the earlier on a tie)."""
    merges: list[Merge] = []
    dropped: set[int] = set()
    first_by_key: dict[tuple[object, str], int] = {}
    for i, item in enumerate(items):
        key = (group(item), compact(text(item)))
        if key in first_by_key:
            merges.append(Merge(first_by_key[key], i, "exact", 1.0))
            dropped.add(i)
        else:
            first_by_key[key] = i
    survivors = [i for i in range(len(items)) if i not in dropped]
    sets = {i: shingles(text(items[i])) for i in survivors}
    postings: dict[tuple[object, str], list[int]] = defaultdict(list)
    for i in survivors:
        for sh in sets[i]:
            postings[(group(items[i]), sh)].append(i)
    # Longest first, so a shorter copy always folds into the fullest version.
    for i in sorted(survivors, key=lambda n: (-len(sets[n]), n)):
        if i in dropped:
            continue
        overlap: dict[int, int] = defaultdict(int)
        for sh in sets[i]:
            for j in postings[(group(items[i]), sh)]:
                if j != i and j not in dropped:
                    overlap[j] += 1
        for j, shared in sorted(overlap.items()):
            small = min(len(sets[i]), len(sets[j]))
            jaccard = shared / (len(sets[i]) + len(sets[j]) - shared)
            containment = shared / small if small else 0.0
            if len(sets[j]) <= len(sets[i]) and (jaccard >= JACCARD_MIN or containment >= CONTAINMENT_MIN):
                merges.append(Merge(i, j, "near", round(max(jaccard, containment), 3)))
                dropped.add(j)
    return merges
