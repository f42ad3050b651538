"""The embedded store: a FAISS flat index for the dense leg and a BM25 index for the keyword leg, in process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np

from ..errors import IndexCorruptError
from ..passage import Passage
from ..publish import publish as publish_folder
from ..text.normalise import tokenize, write_jieba_table
from .base import Related
from .keyword import KeywordIndex

FAISS_FILE = "dense.faiss"
KEYWORD_DIR = "keyword"
REQUIRED_FILES = (FAISS_FILE, "passages.jsonl", KEYWORD_DIR + "/")  # what the manifest's checksums must cover


def set_search_threads(threads: int) -> None:
    """FAISS's OpenMP threads, process-wide: called only when a caller passes threads=.

    One query at a time is fastest on one thread here (eval/BENCH.md: 1.0 vs 2.7 ms at 10k vectors).
    """
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ValueError(f"threads={threads!r} must be a positive integer (1 suits one question at a time)")
    faiss.omp_set_num_threads(threads)


def _flat_inside(dense):
    """The flat index inside an IndexIDMap whose ids are the row numbers 0..n-1 (what builds write), else None.

    Searching it gives the same rows and scores as the map. The map's own search translates ids in an OpenMP
    loop that wakes every OpenMP thread for one query; on 2 shared cores their spinning cost about 10 ms of
    CPU a question (ask() CPU median over the gold questions 23 -> 13 ms, the encoder and LAC already on one
    thread; 2026-11-29).
    """
    if not isinstance(dense, faiss.IndexIDMap | faiss.IndexIDMap2):
        return None
    ids = faiss.vector_to_array(dense.id_map)
    if len(ids) != dense.ntotal or not np.array_equal(ids, np.arange(len(ids), dtype=ids.dtype)):
        return None
    return faiss.downcast_index(dense.index)


def write(
    spec: Any, staging: Path, index_dir: Path, passages: list[Passage], vectors: np.ndarray, keys: list[str]
) -> None:
    """The FAISS file and the BM25 index of a new build, in its folder; the manifest needs no store block."""
    dense = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    dense.add_with_ids(vectors, np.arange(len(passages), dtype=np.int64))
    faiss.write_index(dense, str(staging / FAISS_FILE))
    KeywordIndex.build([tokenize(p.text) for p in passages]).save(staging / KEYWORD_DIR)
    write_jieba_table(staging)  # the next process reads jieba's dictionary from here, faster than jieba does


def publish(block: dict[str, Any] | None, staging: Path, index_dir: Path, token: str | None) -> None:
    """The build folder becomes the index: one atomic switch."""
    publish_folder(staging, index_dir)


def load(
    directory: Path, manifest: dict[str, Any], passages: list[Passage], fix: str, *, token: str | None = None
) -> FaissStore:
    """The store of a FAISS build (no token: nothing to log into)."""
    return FaissStore.open(directory, manifest, passages, fix)


class FaissStore:
    """The dense leg by FAISS and the keyword leg by our BM25 index, both read from the index folder."""

    def __init__(self, dense, keyword: KeywordIndex, size: int):
        self.dense = dense
        self._flat = _flat_inside(dense)
        self.keyword = keyword
        self._size = size

    @classmethod
    def open(cls, directory: Path, manifest: dict[str, Any], passages: list[Passage], fix: str) -> FaissStore:
        """Read the FAISS file and the BM25 index; IndexCorruptError when either disagrees with the passages."""
        try:
            dense = faiss.read_index(str(directory / FAISS_FILE))
        except RuntimeError as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
            raise IndexCorruptError(
                f"{directory / FAISS_FILE} cannot be read by FAISS ({reason}); {fix}"
            ) from exc
        if dense.ntotal != len(passages) or dense.d != manifest["model"]["dim"]:
            raise IndexCorruptError(
                f"{directory / FAISS_FILE} holds {dense.ntotal} vectors of dimension {dense.d}, but "
                f"passages.jsonl has {len(passages)} passages for dimension {manifest['model']['dim']}; {fix}"
            )
        try:
            keyword = KeywordIndex.load(directory / KEYWORD_DIR, len(passages))
        except (ValueError, KeyError, TypeError, IndexError, EOFError, AttributeError) as exc:
            raise IndexCorruptError(
                f"{directory / KEYWORD_DIR} cannot be read as a BM25 index ({type(exc).__name__}: {exc}); {fix}"
            ) from exc
        return cls(dense, keyword, len(passages))

    def document_frequencies(self) -> dict[str, int]:
        return self.keyword.document_frequencies()

    def stored_vectors(self) -> np.ndarray:
        """Every passage's vector, row by row (a build reuses the unchanged ones)."""
        return self.dense.reconstruct_n(0, self._size)

    def search_dense(
        self, vector: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, cosine) by the FAISS index, optionally only among `rows`; FAISS's -1 padding is dropped."""
        limit = self._size if rows is None else len(rows)
        k = min(k, limit)
        if k <= 0:
            return []
        params = None
        if rows is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows.astype(np.int64)))
        searched = self._flat if self._flat is not None else self.dense
        scores, ids = searched.search(vector.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def search_keyword(
        self, tokens: list[str], k: int, rows: np.ndarray | None = None, related: Related | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, BM25 score) with a positive score, optionally only among `rows`.

        `related` words (other words for the query's terms) add their BM25 score times its weight.
        """
        scores = self.keyword.scores(tokens)
        if related and related.words:
            scores = scores + related.weight * self.keyword.scores(related.words)
        candidates = np.arange(len(scores)) if rows is None else rows
        if len(candidates) == 0:
            return []
        picked = candidates[np.argsort(-scores[candidates], kind="stable")[:k]]
        return [(int(i), float(scores[i])) for i in picked if scores[i] > 0]
