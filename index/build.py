"""Building the index: passages, vectors (reused by content hash), BM25, manifest; published atomically."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .corpus import CorpusReport, build_passages
from .encode.embedder import Embedder
from .encode.encoder import OnnxEncoder
from .encode.onnx_export import place_encoder
from .errors import IndexProblem
from .kept import Kept
from .loaded import (
    PASSAGES_FILE,
    Index,
    default_index_dir,
    default_seeds_dir,
    embed_text,
    seed_hashes,
)
from .manifest import make_manifest, read_manifest, seeds_entry, sha256_file, write_manifest
from .passage import Passage
from .publish import LOCK_TIMEOUT_S, build_lock, builds_dir, check_target, new_build_dir
from .store import engine
from .store.spec import StoreSpec, manifest_store

# The text the build read of each report, by the file's sha256: the next build reads only changed files (a
# running app's add re-read every report, a command-line add re-ran OCR on every scan of the folder).
TEXTS_FILE = "texts.jsonl"


@dataclass
class BuildSummary:
    """What a build did, printed by `python -m index build`."""

    index_dir: Path
    corpus: CorpusReport
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def passages_per_second(self) -> float:
        return self.embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0


def _vector_key(model_sha: str, text: str) -> str:
    return hashlib.sha256(f"{model_sha}\n{text}".encode()).hexdigest()


def _previous_vectors(index_dir: Path, model_sha: str) -> dict[str, np.ndarray]:
    """Vectors of the current index by content hash, when it is readable and made by the same model."""
    try:
        old = Index.load(index_dir, model_sha256=model_sha)
    except (IndexProblem, OSError, ValueError):
        return {}
    stored = old.stored_vectors()
    return {_vector_key(model_sha, embed_text(p)): stored[row] for row, p in enumerate(old.passages)}


# The last build's ONNX session, by the encoder file's sha256: opening it took 0.25 s of each add (2026-12-03).
_ENCODERS: Kept[OnnxEncoder] = Kept(1)


def passage_encoder(staging: Path, onnx: dict | None, embedder: Embedder):
    """The build's ONNX copy of the model when it has one (no torch: an add never loads it), else the embedder.

    An earlier build's session of the same file (same sha256, same weights) is used again."""
    if onnx is None:
        return embedder
    try:
        return _ENCODERS.get_or_make(
            (onnx["sha256"], embedder.sha256),
            lambda: OnnxEncoder.load(staging, onnx, model_sha256=embedder.sha256),
        )
    except ImportError:
        return embedder


def _embed(
    passages: list[Passage],
    embedder: Embedder,
    index_dir: Path,
    summary: BuildSummary,
    quiet: bool,
    encoder=None,
    progress: Callable[[int, int], None] | None = None,
):
    cache = _previous_vectors(index_dir, embedder.sha256)
    keys = [_vector_key(embedder.sha256, embed_text(p)) for p in passages]
    missing = [i for i, key in enumerate(keys) if key not in cache]
    started = time.perf_counter()
    texts = [embed_text(passages[i]) for i in missing]
    encoder = encoder or embedder
    if not missing:
        fresh = None
    elif isinstance(encoder, OnnxEncoder):
        fresh = encoder.encode_passages(texts, on_batch=progress)
    else:
        fresh = encoder.encode_passages(texts, progress=not quiet and progress is None)
        if progress is not None:
            progress(len(texts), len(texts))
    summary.embed_seconds = time.perf_counter() - started
    summary.embedded, summary.reused = len(missing), len(passages) - len(missing)
    dim = fresh.shape[1] if missing else len(next(iter(cache.values())))
    vectors = np.zeros((len(passages), dim), dtype=np.float32)
    for n, i in enumerate(missing):
        vectors[i] = fresh[n]
    for i, key in enumerate(keys):
        if key in cache:
            vectors[i] = cache[key]
    return vectors


def _previous_encoder(index_dir: Path) -> dict | None:
    """The published build's ONNX encoder, for place_encoder to reuse when the weights are the same."""
    try:
        model = read_manifest(index_dir)["model"]
        return {"directory": index_dir.resolve(), "block": model.get("onnx"), "model_sha256": model["sha256"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _previous_store(index_dir: Path) -> StoreSpec:
    """The store the published build lives in (so `index add`/`remove` and uploads keep a Milvus index in
    Milvus); FAISS when there is no readable build."""
    try:
        return manifest_store(read_manifest(index_dir))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return StoreSpec()


def _previous_texts(index_dir: Path) -> dict:
    """The report texts the published build read, by file sha256 (TEXTS_FILE), when its manifest vouches for
    the file; else none (every report is read again)."""
    from .readers.ocr import OcrPage

    try:
        listed = read_manifest(index_dir)["files"][TEXTS_FILE]
        path = index_dir / TEXTS_FILE
        if sha256_file(path) != listed["sha256"]:
            return {}
        known = {}
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                pages = [
                    (n, OcrPage(tuple(p["paragraphs"]), p["confidence"], p["words"], p["unsure"]))
                    for n, p in row["ocr"]
                ]
                known[row["sha256"]] = (row["sha256"], row["text"], pages)
        return known
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_texts(staging: Path, corpus: CorpusReport) -> None:
    """What this build read of each report, for the next build (an add reads and OCRs only the new files)."""
    with (staging / TEXTS_FILE).open("w", encoding="utf-8") as fh:
        for sha, text, pages in corpus.texts.values():
            ocr = [[n, dataclasses.asdict(page)] for n, page in pages]
            fh.write(json.dumps({"sha256": sha, "text": text, "ocr": ocr}, ensure_ascii=False) + "\n")


def _write_passages(staging: Path, passages: list[Passage]) -> None:
    with (staging / PASSAGES_FILE).open("w", encoding="utf-8") as fh:
        for passage in passages:
            fh.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")


def _fsync_tree(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())


def build_index(
    seeds_dir: str | Path | None = None,
    index_dir: str | Path | None = None,
    *,
    embedder: Embedder | None = None,
    quiet: bool = False,
    store: StoreSpec | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Build (or rebuild) the index of a seeds folder; unchanged passages reuse their vectors.

    Args:
        seeds_dir: folder of reports (.txt .md .docx .pdf .html; default: the project's seeds/).
        index_dir: where the index goes (default: $QA_INDEX_DIR or .index/).
        embedder: a loaded Embedder, to share one model between calls.
        quiet: no progress bar.
        store: where vectors and keywords go (default: where the published build lives, else FAISS in the
            index directory; or a Milvus URI).
        lock_timeout: seconds to wait for another build of the same index_dir before giving up.
        progress: called with (passages embedded, passages to embed) after each batch of the ONNX encoder
            (once at the end with sentence-transformers).
    Returns:
        A BuildSummary with the cleaning counts, the joins and the timings.
    Raises:
        IndexFolderError: index_dir is not ours to replace (a user's folder, the seeds, a foreign symlink).
        IndexBusyError: another build of index_dir held the lock for longer than lock_timeout.
    """
    started = time.perf_counter()
    seeds_dir = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    index_dir = Path(index_dir) if index_dir else default_index_dir()
    check_target(index_dir, seeds_dir)  # before any work, so a refused folder costs nothing
    embedder = embedder or Embedder.load()
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    builds_dir(index_dir).mkdir(exist_ok=True)
    with build_lock(index_dir, lock_timeout):
        check_target(index_dir, seeds_dir)  # again: the folder may have changed while this build waited
        summary = _build_locked(seeds_dir, index_dir, embedder, quiet, store, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _build_locked(
    seeds_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    quiet: bool,
    store: StoreSpec | None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """The build itself, run holding the lock: read, embed, write a marked folder, publish it."""
    passages, corpus = build_passages(seeds_dir, _previous_texts(index_dir))
    summary = BuildSummary(index_dir=index_dir, corpus=corpus)
    staging = new_build_dir(index_dir)
    _write_texts(staging, corpus)
    store = store or _previous_store(index_dir)
    _write_passages(
        staging, passages
    )  # FAISS's rows; beside a served engine, a readable copy that loading reads
    # The encoder first (linked from the last build when the weights are the same), so the new passages are
    # embedded by it: the same vectors as questions get, and no torch unless this is the first export.
    onnx = place_encoder(
        staging, embedder, [embed_text(p) for p in passages[:8]], _previous_encoder(index_dir)
    )
    encoder = passage_encoder(staging, onnx, embedder)
    vectors = _embed(passages, embedder, index_dir, summary, quiet, encoder, progress)
    keys = [_vector_key(embedder.sha256, embed_text(p)) for p in passages]
    block = engine(store.kind).write(store, staging, index_dir, passages, vectors, keys)
    counts = {
        "files": len(corpus.files),
        "raw_paragraphs": corpus.raw_paragraphs,
        "joins": len(corpus.joins),
        "exact_duplicates": corpus.exact_duplicates,
        "near_duplicates": corpus.near_duplicates,
        "passages": len(passages),
        "captions": corpus.captions,
    }
    model = {
        "name": embedder.name,
        "path": str(embedder.path),
        "sha256": embedder.sha256,
        "dim": int(vectors.shape[1]),
        "onnx": onnx,  # None: no ONNX copy, questions are encoded with sentence-transformers
    }
    skipped = dict(corpus.skipped)
    manifest = make_manifest(
        staging, model=model, sources=seed_hashes(seeds_dir), counts=counts, skipped=skipped
    )
    manifest["seeds_dir"] = seeds_entry(seeds_dir, index_dir)  # a later load checks, and rebuilds from, it
    if block is not None:  # a served engine: where the collection is (FAISS's files are in the folder)
        manifest["store"] = block
    write_manifest(staging, manifest)
    _fsync_tree(staging)
    engine(store.kind).publish(block, staging, index_dir, store.token)
    return summary
