"""The keyword leg: BM25 over jieba tokens (bm25s), saved as JSON and .npy files, never pickle."""

from __future__ import annotations

import logging
from pathlib import Path

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG

K1 = 1.2
B = 0.75


class KeywordIndex:
    """BM25 scores of every passage for a tokenised query."""

    def __init__(self, retriever: bm25s.BM25, size: int):
        self._bm25 = retriever
        self.size = size
        self._vocab = set(retriever.vocab_dict)

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> KeywordIndex:
        """Index the passages' token lists (row i = passage i)."""
        retriever = bm25s.BM25(k1=K1, b=B)
        retriever.index([tokens or [""] for tokens in token_lists], show_progress=False)
        return cls(retriever, len(token_lists))

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> KeywordIndex:
        retriever = bm25s.BM25.load(str(directory), allow_pickle=False, mmap=False)
        return cls(retriever, size)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage; zeros when no token is in the vocabulary."""
        known = [t for t in tokens if t in self._vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
