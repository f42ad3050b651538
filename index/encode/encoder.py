"""Query time: the index's own ONNX copy of the model (onnxruntime + tokenizers, no torch), else sentence-transformers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..errors import IndexStaleError
from .embedder import Embedder

if TYPE_CHECKING:
    from ..loaded import Index


# Passages a run. Sorted by length, on 2 busy cores, 120 passages (python -m eval.bench.embed_speed):
# batch 8 58, 16 57, 32 44, 64 36 passages/s on one thread (unsorted batch 32: 27; sentence-transformers
# 69 after its 7 s load); two threads were slower on every batch size (37 at best) with the other core busy.
BATCH_SIZE = 16


class Encoder(Protocol):
    """What the dense leg needs from a model."""

    name: str

    @property
    def sha256(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode_passages(
        self, texts: list[str], *, batch_size: int = 32, progress: bool = False
    ) -> np.ndarray: ...


class OnnxEncoder:
    """The exported model: same vectors as sentence-transformers (cosine >= 0.999), a tenth of the start-up."""

    def __init__(self, session: Any, tokenizer: Any, *, name: str, model_sha256: str, dim: int, path: Path):
        self._session = session
        self._tokenizer = tokenizer
        self.name = name
        self.path = path
        self._sha256 = model_sha256
        self._dim = dim

    @classmethod
    def load(
        cls, directory: str | Path, block: dict[str, Any], *, model_sha256: str, threads: int | None = None
    ) -> OnnxEncoder:
        """Open the encoder a build put in `directory`, as described by the manifest's model["onnx"] block.

        Args:
            directory: the index folder.
            block: the manifest's model["onnx"] block (file, tokenizer, max_length, dim).
            model_sha256: the sha256 of the weights it was exported from (what the index's vectors came from).
            threads: onnxruntime's intra-op threads for this session only (None: one).
        """
        import onnxruntime
        from tokenizers import Tokenizer

        directory = Path(directory)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # this session's own warnings only; the process's logger is untouched
        # One thread unless asked: a question is a few dozen tokens, and a pool's workers spin after each run
        # (on 2 shared cores about 15 ms of CPU a question, more than the question itself: ask() CPU median
        # over the gold questions, 2026-11-29).
        options.intra_op_num_threads = 1 if threads is None else threads
        session = onnxruntime.InferenceSession(
            str(directory / block["file"]), sess_options=options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(directory / block["tokenizer"]))
        tokenizer.enable_truncation(int(block["max_length"]))
        tokenizer.no_padding()
        return cls(
            session,
            tokenizer,
            name=str(block.get("name", directory.name)),
            model_sha256=model_sha256,
            dim=int(block["dim"]),
            path=directory / block["file"],
        )

    @property
    def sha256(self) -> str:
        return self._sha256

    @property
    def dim(self) -> int:
        return self._dim

    def warm_up(self) -> OnnxEncoder:
        self.encode_query("工会")
        return self

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector, shape (dim,)."""
        return self._run([text])[0]

    def encode_passages(
        self,
        texts: list[str],
        *,
        batch_size: int = BATCH_SIZE,
        progress: bool = False,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Passage vectors, shape (n, dim), in the order given.

        The texts run in batches of similar length, each padded only to its longest text: padding a short
        passage to the batch's longest one was most of the work (eval/bench/embed_speed.py).

        Args:
            texts: the passages.
            batch_size: texts per run.
            progress: accepted for Embedder's signature; use on_batch.
            on_batch: called after each batch with (passages done, passages in all).
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._feed([encodings[i] for i in rows])
            if on_batch is not None:
                on_batch(min(start + batch_size, len(texts)), len(texts))
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        return self._feed(self._tokenizer.encode_batch(texts))

    def _feed(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        feeds = {
            name: np.zeros((len(encodings), width), dtype=np.int64)
            for name in ("input_ids", "attention_mask", "token_type_ids")
        }
        for row, e in enumerate(encodings):
            n = len(e.ids)
            feeds["input_ids"][row, :n] = e.ids
            feeds["attention_mask"][row, :n] = e.attention_mask
            feeds["token_type_ids"][row, :n] = e.type_ids
        (vectors,) = self._session.run(None, feeds)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def query_encoder(index: Index, embedder: Encoder | None = None, *, threads: int | None = None) -> Encoder:
    """The encoder for questions on this index: the caller's, else the index's ONNX copy, else sentence-transformers.

    The ONNX copy is used when the index has one and onnxruntime and tokenizers are installed; otherwise
    the installed model is loaded (torch) and must be the one the index was built with.

    Args:
        index: the loaded index.
        embedder: an encoder the caller already has (checked against the index's model).
        threads: threads for the encoder (onnxruntime session; torch's process-wide count for the fallback).
    Raises:
        IndexStaleError: the model given or installed is not the one the index's vectors came from.
    """
    model = index.manifest["model"]
    fix = f"run: python -m index build --index-dir {index.directory}"
    if embedder is None:
        block = model.get("onnx")
        if block and (Path(index.directory) / block["file"]).is_file():
            try:
                return OnnxEncoder.load(
                    index.directory,
                    block | {"name": model["name"]},
                    model_sha256=model["sha256"],
                    threads=threads,
                )
            except ImportError:
                pass  # onnxruntime or tokenizers missing: sentence-transformers below
        embedder = Embedder.load(threads=threads)
    if embedder.sha256 != model["sha256"]:
        raise IndexStaleError(
            f"{index.directory} was built with model {model['name']} (weights sha256 {model['sha256'][:12]}…), "
            f"not the model loaded now ({embedder.sha256[:12]}…); {fix}"
        )
    return embedder
