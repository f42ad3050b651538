"""The keyword leg: BM25 over jieba tokens, built with bm25s and saved as its JSON and .npy files, never pickle.

Querying reads those files with numpy alone: bm25s (and the scipy it imports) is needed only to build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

K1 = 1.2
B = 0.75
# bm25s's file names for its token-by-document score matrix (CSC: one column per token) and vocabulary
_MATRIX = {"data": "data.csc.index.npy", "indices": "indices.csc.index.npy", "indptr": "indptr.csc.index.npy"}
_VOCAB = "vocab.index.json"
_PARAMS = "params.index.json"


class KeywordIndex:
    """BM25 scores of every passage for a tokenised query."""

    def __init__(self, matrix: dict[str, np.ndarray], vocab: dict[str, int], size: int, *, bm25: Any = None):
        self._data, self._indices, self._indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        self._vocab = vocab
        self.size = size
        self._bm25 = bm25  # the bm25s object of a fresh build, for save()

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> KeywordIndex:
        """Index the passages' token lists (row i = passage i)."""
        import bm25s

        retriever = bm25s.BM25(k1=K1, b=B)
        retriever.index([tokens or [""] for tokens in token_lists], show_progress=False)
        matrix = {key: np.asarray(retriever.scores[key]) for key in _MATRIX}
        return cls(matrix, dict(retriever.vocab_dict), len(token_lists), bm25=retriever)

    def save(self, directory: Path) -> None:
        if self._bm25 is None:
            raise ValueError(
                "only a freshly built KeywordIndex can be saved; build one with KeywordIndex.build"
            )
        self._bm25.save(str(directory), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> KeywordIndex:
        """Read a saved index (bm25s's files) with numpy; ValueError naming the file when one does not fit."""
        directory = Path(directory)
        matrix = {key: np.load(directory / name, allow_pickle=False) for key, name in _MATRIX.items()}
        vocab = json.loads((directory / _VOCAB).read_text(encoding="utf-8"))
        if not isinstance(vocab, dict) or not all(isinstance(v, int) for v in vocab.values()):
            raise ValueError(f"{directory / _VOCAB} is not a mapping of tokens to columns")
        params = json.loads((directory / _PARAMS).read_text(encoding="utf-8"))
        if not isinstance(
            params, dict
        ):  # read even though scoring needs none of it: a damaged build shows here
            raise ValueError(f"{directory / _PARAMS} is not a JSON object of bm25s parameters")
        if len(matrix["indptr"]) < 1 or matrix["indptr"][-1] != len(matrix["data"]):
            raise ValueError(f"{directory / _MATRIX['indptr']} does not match {_MATRIX['data']}")
        return cls(matrix, vocab, size)

    def document_frequencies(self) -> dict[str, int]:
        """How many passages hold each token, read off the score matrix (one column per token)."""
        indptr = self._indptr
        out = {}
        for token, column in self._vocab.items():
            if token and column + 1 < len(indptr) and indptr[column + 1] > indptr[column]:
                out[token] = int(indptr[column + 1] - indptr[column])
        return out

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage (a repeated token counts again, as in bm25s); zeros when none is known."""
        scores = np.zeros(self.size, dtype=np.float32)
        for token in tokens:
            column = self._vocab.get(token)
            if column is None or column + 1 >= len(self._indptr):
                continue
            start, end = self._indptr[column], self._indptr[column + 1]
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        return scores
