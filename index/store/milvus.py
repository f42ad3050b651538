"""The Milvus engine (Lite file or server): one collection per build behind an alias, behind the Store protocol."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexCorruptError, IndexStaleError, StoreUnavailableError
from ..passage import Passage
from ..publish import publish as publish_folder
from ..settings import settings
from ..text.normalise import tokenize
from .base import Related
from .spec import MILVUS, SERVER_SCHEMES, StoreSpec

# HNSW over inner product (the vectors are normalised, so IP is cosine). On eval/bench/scale.py's realistic vectors
# at 100k, M=16/efConstruction=100 searched with ef=128 gives recall@10 0.99 on Milvus Lite (0.965 in FAISS,
# whose single graph sees fewer candidates than Lite's per-segment graphs); ef=64 drops to 0.97 (eval/SCALE.md).
HNSW_BUILD = {"M": 16, "efConstruction": 100}
EF_SEARCH = 128
# The keyword leg: "tokens" is Milvus's BM25 function over our own tokens (index.text.normalise.tokenize, written as
# opaque ASCII codes the "standard" analyzer keeps whole); "jieba" is the same function with Milvus's jieba
# analyzer on the text. On eval/gold.jsonl (python -m eval.milvus_keyword) before the learned answer scorer,
# jieba scored a little higher (hit@1 0.903 vs 0.891); with that scorer merged, only our tokens keep the gold
# figures within 0.01 of FAISS + bm25s (tests/eval/test_milvus_gold.py), so they serve.
KEYWORD_MODES = ("tokens", "jieba")
DEFAULT_KEYWORD = "tokens"
SPARSE_FIELD = {"tokens": "sparse_tokens", "jieba": "sparse_jieba"}
MAX_TEXT_BYTES = 65535
BATCH = 1000
TOP_K_LIMIT = 16384  # Milvus refuses a larger limit
# Sparse vectors, the BM25 function and text analyzers (jieba) arrived in Milvus 2.5. A 2.3 server (the
# embedded standalone server of PyPI's `milvus` 2.3.5) takes the schema but refuses the sparse index
# ("create index on 104 field is not supported"); its aliases, HNSW, JSON fields and filters all work.
MIN_SERVER = (2, 5)


def _client(uri: str, token: str | None = None):
    """A client for a Lite file or a server; a server gets the token (else $QA_MILVUS_TOKEN), nothing else does."""
    server = uri.startswith(SERVER_SCHEMES)
    token = (token or settings().milvus_token) if server else None
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise ImportError(
            "--store milvus needs pymilvus (and milvus-lite for a .db file); "
            "install them with: pip install -r requirements.txt"
        ) from exc
    try:
        client = MilvusClient(uri=uri, token=token) if token else MilvusClient(uri=uri)
    except Exception as exc:  # pymilvus raises several kinds for "cannot connect"
        hint = (
            "is the server running and the URI right? With a login, set QA_MILVUS_TOKEN=user:password "
            "(or pass --milvus-token-file FILE)"
            if server
            else "a Milvus Lite file is opened by one process at a time: stop the other one "
            "(app.py, python -m qa, python -m eval) or serve the index from a Milvus server"
        )
        raise StoreUnavailableError(f"cannot open Milvus at {uri} ({exc}); {hint}") from exc
    if server:
        _check_server_version(client, uri)
    return client


def server_too_old(version: str) -> bool:
    """Whether a server's version string ("v2.3.5-lite", "v2.5.4", "2.6.0") is older than MIN_SERVER."""
    found = re.match(r"v?(\d+)\.(\d+)", version.strip())
    return bool(found) and (int(found.group(1)), int(found.group(2))) < MIN_SERVER


def _check_server_version(client, uri: str) -> None:
    """Refuse a server older than MIN_SERVER before anything is created on it."""
    version = str(client.get_server_version())
    if server_too_old(version):
        need = ".".join(map(str, MIN_SERVER))
        raise StoreUnavailableError(
            f"Milvus at {uri} is {version}; this store needs Milvus {need} or later (sparse vectors, the BM25 "
            f"function and the jieba analyzer): upgrade the server (e.g. the milvusdb/milvus:v{need}.x image), "
            "or use --store faiss"
        )


def alias_for(index_dir: Path) -> str:
    """The alias the index directory is served under: stable per directory, so several can share a server."""
    digest = hashlib.sha256(str(Path(index_dir).absolute()).encode()).hexdigest()[:10]
    return f"union_reports_{digest}"


def token_code(token: str) -> str:
    """A token as an ASCII word Milvus's "standard" analyzer keeps whole (it would split Chinese per character)."""
    return "w" + hashlib.blake2b(token.encode(), digest_size=8).hexdigest()


def _schema(dim: int):
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    schema.add_field("city", DataType.VARCHAR, max_length=128)
    schema.add_field("year", DataType.INT64)  # 0 when the article has none
    schema.add_field("source", DataType.VARCHAR, max_length=1024)
    schema.add_field("kind", DataType.VARCHAR, max_length=32)
    schema.add_field("key", DataType.VARCHAR, max_length=64)  # content hash of what was embedded, for reuse
    # The text under Milvus's jieba analyzer; our own tokens (token_code words) under its standard one.
    for name, tokenizer in (("text", "jieba"), ("tokens", "standard")):
        schema.add_field(
            name,
            DataType.VARCHAR,
            max_length=MAX_TEXT_BYTES,
            enable_analyzer=True,
            analyzer_params={"tokenizer": tokenizer},
        )
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("sparse_jieba", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("sparse_tokens", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("passage", DataType.JSON)
    for mode, source in (("jieba", "text"), ("tokens", "tokens")):
        schema.add_function(
            Function(
                name=f"bm25_{mode}",
                function_type=FunctionType.BM25,
                input_field_names=[source],
                output_field_names=[SPARSE_FIELD[mode]],
            )
        )
    return schema


def _index_params(client):
    params = client.prepare_index_params()
    params.add_index("dense", index_type="HNSW", metric_type="IP", params=dict(HNSW_BUILD))
    for field in SPARSE_FIELD.values():
        params.add_index(field, index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    return params


def _rows(passages: list[Passage], vectors: np.ndarray, keys: list[str]):
    for row, (passage, vector, key) in enumerate(zip(passages, vectors, keys, strict=True)):
        if len(passage.text.encode()) > MAX_TEXT_BYTES:
            raise ValueError(
                f"passage {passage.id} is {len(passage.text.encode())} bytes; Milvus stores at most "
                f"{MAX_TEXT_BYTES}: split the paragraph in {passage.source}"
            )
        yield {
            "row": row,
            "city": passage.city or "",
            "year": passage.year or 0,
            "source": passage.source,
            "kind": passage.kind,
            "key": key,
            "text": passage.text,
            "tokens": " ".join(token_code(t) for t in tokenize(passage.text)),
            "dense": vector.astype(np.float32).tolist(),
            "passage": passage.to_dict(),
        }


def _insert(client, name: str, passages: list[Passage], vectors: np.ndarray, keys: list[str]) -> None:
    batch: list[dict[str, Any]] = []
    for entity in _rows(passages, vectors, keys):
        batch.append(entity)
        if len(batch) == BATCH:
            client.insert(name, batch)
            batch = []
    if batch:
        client.insert(name, batch)


def write_collection(
    spec: StoreSpec, index_dir: Path, passages: list[Passage], vectors: np.ndarray, keys: list[str]
) -> dict[str, Any]:
    """Load the passages into a new collection; on any failure it is dropped and the alias is untouched.

    Returns the manifest's "store" block; call `switch_alias` with it once the rest of the build succeeded.
    """
    client = _client(spec.resolved_uri, spec.token)
    alias = alias_for(index_dir)
    name = f"{alias}_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}_{os.urandom(2).hex()}"
    try:
        # Inside the try: a server can create the collection and then refuse one of its indexes.
        client.create_collection(
            name, schema=_schema(int(vectors.shape[1])), index_params=_index_params(client)
        )
        _insert(client, name, passages, vectors, keys)
        client.flush(name)
        client.load_collection(name)
    except BaseException:
        if client.has_collection(name):
            client.drop_collection(name)
        raise
    return {
        **spec.to_dict(),
        "kind": MILVUS,
        "alias": alias,
        "collection": name,
        "keyword": DEFAULT_KEYWORD,
        "dense_index": {"type": "HNSW", "metric": "IP", **HNSW_BUILD, "ef": EF_SEARCH},
    }


def drop_collection(block: dict[str, Any], token: str | None = None) -> None:
    """Drop a collection this build made (when the build fails after write_collection)."""
    _client(block["uri"], token).drop_collection(block["collection"])


def switch_alias(block: dict[str, Any], token: str | None = None) -> None:
    """Point the alias at the new collection (one call: readers see the old or the new one)."""
    client = _client(block["uri"], token)
    if block["alias"] in client.list_aliases().get("aliases", []):
        client.alter_alias(block["collection"], block["alias"])
    else:
        client.create_alias(block["collection"], block["alias"])


def drop_old_collections(block: dict[str, Any], token: str | None = None) -> list[str]:
    """Drop the earlier builds of this alias (named alias_…; nothing else on the server is touched)."""
    client = _client(block["uri"], token)
    old = [
        c
        for c in client.list_collections()
        if c.startswith(block["alias"] + "_") and c != block["collection"]
    ]
    for name in old:
        client.drop_collection(name)
    return old


class _TermCounts:
    """Document frequencies of our own tokens (qa weighs question terms by them); BM25 itself runs in Milvus."""

    def __init__(self, passages: list[Passage]):
        self._passages = passages

    def document_frequencies(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for passage in self._passages:
            counts.update({t for t in tokenize(passage.text) if t})
        return dict(counts)


REQUIRED_FILES = ("passages.jsonl",)  # a readable copy; the vectors and keywords live in the collection


def write(
    spec: StoreSpec,
    staging: Path,
    index_dir: Path,
    passages: list[Passage],
    vectors: np.ndarray,
    keys: list[str],
) -> dict[str, Any]:
    """A new collection for the build; returns the manifest's "store" block (publish switches the alias)."""
    return write_collection(spec, index_dir, passages, vectors, keys)


def publish(block: dict[str, Any], staging: Path, index_dir: Path, token: str | None) -> None:
    """Switch the alias, then the manifest; a failure before the switch drops the new collection."""
    try:
        switch_alias(block, token)
    except BaseException:
        drop_collection(block, token)
        raise
    publish_folder(staging, index_dir)
    drop_old_collections(block, token)


def load(
    directory: Path, manifest: dict[str, Any], passages: list[Passage], fix: str, *, token: str | None = None
) -> MilvusStore:
    """The store of a Milvus build: connect to the manifest's URI and check the collection against the passages.

    token: the server's user:password or API key (default $QA_MILVUS_TOKEN).
    """
    return MilvusStore.open(directory, manifest, passages, fix, token=token)


class MilvusStore:
    """The store seam (dense, keyword, filters by row), answered by a Milvus collection."""

    def __init__(
        self,
        manifest: dict[str, Any],
        passages: list[Passage],
        client,
        *,
        keyword: str | None = None,
    ):
        self.manifest = manifest
        self._passages = passages
        self._client = client
        self._terms = _TermCounts(passages)
        block = manifest["store"]
        self.alias = block["alias"]
        self.keyword_mode = keyword or block.get("keyword", DEFAULT_KEYWORD)
        if self.keyword_mode not in KEYWORD_MODES:
            raise ValueError(f"keyword={self.keyword_mode!r}; choose one of {', '.join(KEYWORD_MODES)}")
        self.ef = int(block.get("dense_index", {}).get("ef", EF_SEARCH))
        self._cities = np.array([p.city or "" for p in passages])
        self._sources = np.array([p.source for p in passages])
        self._years = np.array([p.year or 0 for p in passages])

    def __len__(self) -> int:
        return len(self._passages)

    @classmethod
    def open(
        cls,
        directory: Path,
        manifest: dict[str, Any],
        passages: list[Passage],
        fix: str,
        *,
        token: str | None = None,
    ) -> MilvusStore:
        """Connect to the manifest's URI; the collection must hold as many rows as the index folder's passages."""
        block = manifest["store"]
        client = _client(block["uri"], token)
        aliases = client.list_aliases().get("aliases", [])
        if block["alias"] not in aliases:
            raise IndexCorruptError(
                f"Milvus at {block['uri']} has no alias {block['alias']} (dropped, or another server?); {fix}"
            )
        serving = client.describe_alias(block["alias"])["collection_name"]
        if serving != block["collection"]:
            raise IndexStaleError(
                f"{block['alias']} at {block['uri']} serves {serving}, but {directory} was built for "
                f"{block['collection']} (a build stopped between the two); {fix}"
            )
        client.load_collection(block["alias"])
        held = client.query(block["alias"], filter="", output_fields=["count(*)"])[0]["count(*)"]
        if held != len(passages):
            raise IndexCorruptError(
                f"{block['collection']} at {block['uri']} holds {held} passages, {directory / 'passages.jsonl'} "
                f"{len(passages)}; {fix}"
            )
        return cls(manifest, passages, client)

    def document_frequencies(self) -> dict[str, int]:
        return self._terms.document_frequencies()

    def with_keyword(self, mode: str) -> MilvusStore:
        """The same collection with the other keyword leg ("tokens" or "jieba"), for comparisons."""
        return MilvusStore(self.manifest, self._passages, self._client, keyword=mode)

    def stored_vectors(self) -> np.ndarray:
        out = np.zeros((len(self), int(self.manifest["model"]["dim"])), dtype=np.float32)
        for lo in range(0, len(self), BATCH):
            for hit in self._client.query(
                self.alias, filter=f"row >= {lo} and row < {lo + BATCH}", output_fields=["row", "dense"]
            ):
                out[hit["row"]] = hit["dense"]
        return out

    # --- filters pushed into the engine ----------------------------------------------------------
    def _filter(self, rows: np.ndarray | None) -> str:
        """A Milvus filter selecting exactly `rows`: by city/source/year values when they say it, else by row."""
        if rows is None:
            return ""
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        if len(rows) == len(self):
            return ""
        mask = np.ones(len(self), dtype=bool)
        parts = []
        for field, values in (("city", self._cities), ("source", self._sources), ("year", self._years)):
            wanted = sorted(set(values[rows].tolist()))
            if len(wanted) < len(set(values.tolist())):
                mask &= np.isin(values, wanted)
                parts.append(f"{field} in {json.dumps(wanted, ensure_ascii=False)}")
                if np.count_nonzero(mask) == len(rows):  # the fewest fields that say it
                    return " and ".join(parts)
        return f"row in {rows.tolist()}"

    # --- the two search legs -------------------------------------------------------------------
    def search_dense(
        self, vector: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, cosine) by the collection's HNSW index, optionally only among `rows`."""
        k = min(k, len(self) if rows is None else len(rows), TOP_K_LIMIT)
        if k <= 0:
            return []
        result = self._client.search(
            self.alias,
            data=[np.asarray(vector, dtype=np.float32).reshape(-1).tolist()],
            anns_field="dense",
            limit=k,
            filter=self._filter(rows),
            output_fields=["row"],
            search_params={"metric_type": "IP", "params": {"ef": max(self.ef, k)}},
        )
        return [(int(hit["entity"]["row"]), float(hit["distance"])) for hit in result[0]]

    def _bm25(self, tokens: list[str], k: int, expr: str) -> dict[int, float]:
        if self.keyword_mode == "tokens":
            query = " ".join(token_code(t) for t in tokens)
        else:
            query = " ".join(tokens)
        if not query.strip() or k <= 0:
            return {}
        result = self._client.search(
            self.alias,
            data=[query],
            anns_field=SPARSE_FIELD[self.keyword_mode],
            limit=min(k, TOP_K_LIMIT),
            filter=expr,
            output_fields=["row"],
            search_params={"metric_type": "BM25"},
        )
        # Milvus Lite reports BM25 as a negated distance, a server as the score: the score is its size.
        return {int(hit["entity"]["row"]): abs(float(hit["distance"])) for hit in result[0]}

    def search_keyword(
        self, tokens: list[str], k: int, rows: np.ndarray | None = None, related: Related | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, BM25 score) by Milvus's BM25 function, optionally only among `rows`.

        `related` words add their BM25 score times its weight; both scores are exact for every row either
        search returned (the missing one is fetched with a row filter).
        """
        k = min(k, len(self) if rows is None else len(rows))
        if k <= 0:
            return []
        expr = self._filter(rows)
        scores = self._bm25(tokens, k, expr)
        if related and related.words:
            extra = self._bm25(related.words, k, expr)
            for part, words in ((scores, tokens), (extra, related.words)):
                missing = sorted((set(scores) | set(extra)) - set(part))
                if missing:
                    where = f"row in {missing}" + (f" and ({expr})" if expr else "")
                    part.update(self._bm25(words, len(missing), where))
            scores = {
                r: scores.get(r, 0.0) + related.weight * extra.get(r, 0.0) for r in set(scores) | set(extra)
            }
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [(row, score) for row, score in ranked if score > 0]
