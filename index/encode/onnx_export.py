"""Build time: the sentence-transformers model exported to ONNX (transformer, mean pooling, L2 norm) with its tokenizer.

The query path then needs onnxruntime and tokenizers only (index.encode.encoder.OnnxEncoder), not torch.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..manifest import sha256_file
from .embedder import Embedder

ENCODER_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
OPSET = 17
MIN_COSINE = 0.999  # an export whose vectors stray further from sentence-transformers' is not used
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")

# model sha256 -> a build folder holding a checked export, so several builds in one process export once
_EXPORTS: dict[str, tuple[Path, dict[str, Any]]] = {}


def _supported(model) -> str | None:
    """Why this sentence-transformers model cannot be exported as (transformer, mean pooling), or None."""
    names = [type(m).__name__ for m in model]
    if names[:2] != ["Transformer", "Pooling"] or any(n != "Normalize" for n in names[2:]):
        return f"modules {names}, expected Transformer, Pooling (and Normalize)"
    if getattr(model[1], "pooling_mode", "mean") != "mean":
        return f"pooling {model[1].pooling_mode!r}, only mean pooling is exported"
    if not getattr(model.tokenizer, "is_fast", False):
        return "no fast (tokenizers) tokenizer"
    return None


def _export(embedder: Embedder, folder: Path, sample: list[str]) -> dict[str, Any] | None:
    import torch

    model = embedder.model
    why = _supported(model)
    if why is not None:
        return None

    class Pooled(torch.nn.Module):
        """The transformer, then mean pooling over real tokens, then L2 normalisation, as one graph."""

        def __init__(self, transformer):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    graph = Pooled(model[0].auto_model).eval()
    example = model.tokenizer(["工会", "南平工会组建率是多少"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in _INPUTS} | {"sentence_embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notices
        torch.onnx.export(
            graph,
            tuple(example[name] for name in _INPUTS),
            str(folder / ENCODER_FILE),
            input_names=list(_INPUTS),
            output_names=["sentence_embedding"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )
    model.tokenizer.backend_tokenizer.save(str(folder / TOKENIZER_FILE))
    block = {
        "file": ENCODER_FILE,
        "tokenizer": TOKENIZER_FILE,
        "max_length": int(model.max_seq_length),
        "dim": int(model.get_embedding_dimension()),
        "opset": OPSET,
        "pooling": "mean",
        "torch": torch.__version__,
    }
    # Check the export against the model it came from before anyone relies on it.
    from .encoder import OnnxEncoder

    onnx = OnnxEncoder.load(folder, block | {"sha256": sha256_file(folder / ENCODER_FILE)}, model_sha256="")
    cosine = float(np.min(np.sum(onnx.encode_passages(sample) * embedder.encode_passages(sample), axis=1)))
    if cosine < MIN_COSINE:
        return None
    return block | {"checked_cosine_min": round(cosine, 6)}


def place_encoder(
    staging: Path, embedder: Embedder, sample: list[str], previous: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Put the ONNX encoder and tokenizer into a build folder; the manifest's model["onnx"] block, or None.

    Reuses the previous build's files (hard link, else copy) when made from the same weights, else this
    process's last export of those weights, else exports. None when the model cannot be exported: the index
    then answers with sentence-transformers.

    Args:
        staging: the build folder being written.
        embedder: the build's sentence-transformers model.
        sample: texts to check the export on (cosine >= MIN_COSINE against sentence-transformers).
        previous: {"directory": Path, "block": the previous manifest's onnx block, "model_sha256": ...}.
    """
    sha = embedder.sha256
    source: tuple[Path, dict[str, Any]] | None = None
    if previous and previous.get("model_sha256") == sha and previous.get("block"):
        block = previous["block"]
        file = Path(previous["directory"]) / block["file"]
        if block.get("opset") == OPSET and file.is_file() and sha256_file(file) == block.get("sha256"):
            source = (Path(previous["directory"]), block)
    if source is None and sha in _EXPORTS and (_EXPORTS[sha][0] / ENCODER_FILE).is_file():
        source = _EXPORTS[sha]
    if source is None:
        block = _export(embedder, staging, sample[:8] or ["工会"])
        if block is None:
            for name in (ENCODER_FILE, TOKENIZER_FILE):
                (staging / name).unlink(missing_ok=True)
            return None
        _EXPORTS[sha] = (staging, block)
    else:
        folder, block = source
        for name in (block["file"], block["tokenizer"]):
            _link_or_copy(folder / name, staging / name)
    return {k: v for k, v in block.items() if k not in ("sha256", "bytes")} | {
        "sha256": sha256_file(staging / block["file"]),
        "bytes": (staging / block["file"]).stat().st_size,
    }


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # builds never modify a file once written, so sharing the inode is safe
    except OSError:
        shutil.copyfile(source, target)
