"""Passages a second: sentence-transformers (torch) against the index's ONNX encoder, batch sizes and threads.

python -m eval.bench.embed_speed [--passages 120]: the passages of an invented report (tests.documents),
each encoder given the same texts in the same run; the ONNX encoder is exported into a temp folder first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from index.encode.embedder import Embedder
from index.encode.encoder import OnnxEncoder
from index.encode.onnx_export import place_encoder
from tests.documents import long_report


def _unsorted(encoder: OnnxEncoder, texts: list[str], batch_size: int) -> np.ndarray:
    """The encoder as it ran before: batches in the given order, each padded to its longest text."""
    return np.concatenate([encoder._run(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.bench.embed_speed", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--passages", type=int, default=120)
    args = parser.parse_args(argv)
    _, paragraphs = long_report(pages=args.passages // 8 + 2, seed=11)
    # Passages of mixed length, as a report's are: whole paragraphs, halves and single sentences.
    texts = []
    for n, p in enumerate(paragraphs):
        texts.append(p if n % 3 == 0 else p[: len(p) // 2] if n % 3 == 1 else p.split("，")[0])
    texts = texts[: args.passages]
    embedder = Embedder.load()
    started = time.perf_counter()
    embedder.encode_query("工会")
    print(f"sentence-transformers load (torch): {time.perf_counter() - started:.1f} s")
    rows = []

    def timed(label: str, run) -> np.ndarray:
        run(texts[:4])  # warm
        started = time.perf_counter()
        vectors = run(texts)
        seconds = time.perf_counter() - started
        rows.append((label, len(texts) / seconds))
        print(f"{label}: {len(texts) / seconds:.1f} passages/s")
        return vectors

    reference = timed("sentence-transformers, batch 32", lambda t: embedder.encode_passages(t, batch_size=32))
    with tempfile.TemporaryDirectory() as tmp:
        block = place_encoder(Path(tmp), embedder, texts[:8])
        for threads in (1, 2):
            encoder = OnnxEncoder.load(tmp, block, model_sha256=embedder.sha256, threads=threads)
            timed(f"ONNX unsorted, batch 32, {threads} thread(s)", lambda t, e=encoder: _unsorted(e, t, 32))
            for batch in (8, 16, 32, 64):
                vectors = timed(
                    f"ONNX by length, batch {batch}, {threads} thread(s)",
                    lambda t, e=encoder, b=batch: e.encode_passages(t, batch_size=b),
                )
            cosine = float(np.min(np.sum(vectors * reference, axis=1)))
            print(f"  lowest cosine against sentence-transformers: {cosine:.6f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
