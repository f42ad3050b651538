"""The store seam: what a search engine answers for a loaded index (two search legs, vectors, term counts)."""

from __future__ import annotations

from typing import NamedTuple, Protocol

import numpy as np


class Related(NamedTuple):
    """Other words for a query's terms (synonyms): their BM25 score counts `weight` times beside the terms' own."""

    words: list[str]
    weight: float = 0.5


class Store(Protocol):
    """One engine's view of an index's rows (row i = passage i); FAISS + BM25 in process, or Milvus."""

    def search_dense(
        self, vector: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, cosine), optionally only among `rows`."""
        ...

    def search_keyword(
        self, tokens: list[str], k: int, rows: np.ndarray | None = None, related: Related | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, BM25 score) with a positive score; `related` words add their score times its weight."""
        ...

    def stored_vectors(self) -> np.ndarray:
        """Every row's vector (a build reuses the unchanged ones)."""
        ...

    def document_frequencies(self) -> dict[str, int]:
        """How many passages hold each of our tokens (qa weighs question terms by them)."""
        ...
