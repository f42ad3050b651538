"""Scaling figures on realistic vectors: FAISS Flat / HNSW / IVF and Milvus (Lite or a server), not pass/fail.

The vectors have the structure of real ones: the reports' passages and sentences embedded by the real model,
then mixed pairwise and perturbed along the directions those embeddings actually vary in (their own covariance),
so they cluster and spread like a much larger body of union reports. Queries are the gold questions, embedded.
Everything generated is cached outside the repository (default ~/.cache/union-reports-qa/scale).

Run: python -m eval.bench.scale [--sizes 100000,1000000] [--time-box 600] [--skip-milvus] [--out eval/SCALE.md]
     python -m eval.bench.scale --sizes 100000 --skip-faiss --milvus-uri http://127.0.0.1:19530   (a Milvus server;
     its login, if any, from $QA_MILVUS_TOKEN); --previous RUN.json puts an earlier run's rows in the same table.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.settings import settings

from ..metrics import percentile
from .speed import _f, _table, faiss_sweep, machine

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = Path.home() / ".cache" / "union-reports-qa" / "scale"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "SCALE.md"
TOP_K = 10
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 100  # the same graph for FAISS and Milvus, so the rows compare
EF_SWEEP = (16, 32, 64, 128, 256)
NPROBE_SWEEP = (1, 4, 16, 64)
MIX = (0.55, 1.0)  # share of the first parent in a mixed copy
NOISE = 0.5  # perturbation, in units of the real embeddings' own spread around their mean
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


# --- realistic vectors ----------------------------------------------------------------------------------------------


def base_vectors(cache: Path, log: Callable[[str], None] = print) -> tuple[np.ndarray, np.ndarray]:
    """(real passage + sentence embeddings, gold-question embeddings), embedded once and cached as .npy."""
    from index.corpus import build_passages
    from index.encode.embedder import Embedder
    from index.loaded import embed_text

    from ..gold import DEFAULT_GOLD, load_gold

    passages, _ = build_passages(ROOT / "seeds")
    sentences = [s.strip() for p in passages for s in _SENTENCE_END.split(p.text) if len(s.strip()) >= 8]
    questions = [item.question for item in load_gold(DEFAULT_GOLD)]
    texts = [embed_text(p) for p in passages] + sentences
    key = hashlib.sha256("\n".join(texts + ["\0"] + questions).encode()).hexdigest()[:12]
    base_file, query_file = cache / f"base-{key}.npy", cache / f"queries-{key}.npy"
    if base_file.exists() and query_file.exists():
        return np.load(base_file), np.load(query_file)
    log(
        f"embedding {len(texts)} passages and sentences and {len(questions)} questions once (cached in {cache})"
    )
    embedder = Embedder.load()
    base = embedder.encode_passages(texts, progress=False).astype(np.float32)
    queries = np.stack([embedder.encode_query(q) for q in questions]).astype(np.float32)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(base_file, base)
    np.save(query_file, queries)
    return base, queries


def realistic_vectors(
    n: int, base: np.ndarray, cache: Path, *, seed: int = 1, chunk: int = 100_000
) -> np.ndarray:
    """n unit vectors: pairs of real embeddings mixed, plus noise drawn from the embeddings' own covariance."""
    key = hashlib.sha256(base.tobytes()).hexdigest()[:12]
    path = cache / f"vectors-{n}-{seed}-{key}-{MIX[0]}-{NOISE}.npy"
    if path.exists():
        return np.load(path, mmap_mode="r")
    rng = np.random.default_rng(seed)
    centred = base - base.mean(axis=0)
    # Noise with the real spread: z @ diag(s) @ vt has the covariance of `centred` (per vector).
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    scale = s / np.sqrt(len(base))
    out = np.lib.format.open_memmap(
        path.with_suffix(".tmp.npy"), mode="w+", dtype=np.float32, shape=(n, base.shape[1])
    )
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        i, j = rng.integers(0, len(base), m), rng.integers(0, len(base), m)
        a = rng.uniform(*MIX, size=(m, 1)).astype(np.float32)
        noise = (rng.standard_normal((m, len(s)), dtype=np.float32) * scale) @ vt
        block = a * base[i] + (1 - a) * base[j] + NOISE * noise
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    out.flush()
    del out
    path.with_suffix(".tmp.npy").replace(path)
    return np.load(path, mmap_mode="r")


# --- the engines ----------------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def bench_faiss(
    xb: np.ndarray, xq: np.ndarray, truth: np.ndarray, *, time_box: float, log: Callable[[str], None]
) -> list[dict]:
    """Flat, HNSW (efSearch sweep) and IVF-Flat (nprobe sweep); builds on every core, searches on one."""
    return faiss_sweep(
        xb,
        xq,
        truth,
        time_box=time_box,
        hnsw_m=HNSW_M,
        ef_construction=HNSW_EF_CONSTRUCTION,
        ef_sweep=EF_SWEEP,
        nprobe_sweep=NPROBE_SWEEP,
        nlist=int(2 * np.sqrt(xb.shape[0])),  # 2·√n lists; 4·√n would need 4x the k-means time on 2 cores
        log=log,
    )


def _lite_settle(path: Path, timeout: float) -> bool:
    """Wait for Milvus Lite's background compaction and index builds, then build any index still missing.

    Lite 3 compacts and indexes merged segments in a background thread, and searches until then are brute force
    (0.5 s at 100k, about 1 s at 465k): the rows measure the settled index. False when the background work was
    still busy after `timeout`. This reaches into Lite's internals (benchmark only).
    """
    try:
        from milvus_lite import server_manager_instance

        _, db, _ = server_manager_instance._servers[str(path.resolve())]
        for collection in list(db._collections.values()):
            collection._wait_for_bg(timeout)
            collection._ensure_loaded_segments_indexed()  # whatever the background pass left unindexed
    except TimeoutError:
        return False
    except (ImportError, KeyError, AttributeError, ValueError):
        return True  # another Lite version: measured as it comes
    return True


def _server_settle(client, name: str, rows: int, timeout: float) -> bool:
    """Wait until a Milvus server reports every row of the collection indexed; False when still busy after timeout."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        info = client.describe_index(name, "v")
        if int(info.get("indexed_rows", 0)) >= rows and int(info.get("pending_index_rows", 0)) == 0:
            return True
        time.sleep(2)
    return False


def _server_pid(uri: str) -> int | None:
    """The local process listening on the server URI's port (for its memory), or None when it is elsewhere."""
    from urllib.parse import urlparse

    import psutil

    parsed = urlparse(uri)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == parsed.port:
                return conn.pid
    except psutil.AccessDenied:
        return None
    return None


def bench_milvus(
    xb: np.ndarray,
    xq: np.ndarray,
    truth: np.ndarray,
    *,
    time_box: float,
    log: Callable[[str], None],
    ef_sweep: Sequence[int] = EF_SWEEP,
    uri: str | None = None,
) -> list[dict]:
    """Milvus with the store's HNSW settings: Lite in process from a temporary .db file, or the server at `uri`.

    The insert is time-boxed; then the index is waited for (Lite: also forced) before any query, and the insert
    and index times are reported apart. Memory: Lite's is this process's RSS growth, a local server's its RSS
    growth (None for a remote one). A server collection is named scale_bench_<pid> and dropped afterwards.
    """
    import faiss
    import psutil
    from pymilvus import DataType, MilvusClient

    n, dim = xb.shape
    rows: list[dict] = []
    server_pid = _server_pid(uri) if uri else None

    def rss_mb() -> float | None:
        if uri is None:
            return _rss_mb()
        return psutil.Process(server_pid).memory_info().rss / 2**20 if server_pid else None

    with tempfile.TemporaryDirectory(prefix="scale-milvus-") as tmp:
        rss0 = rss_mb()
        token = settings().milvus_token if uri else None  # a server with a login: $QA_MILVUS_TOKEN
        client = MilvusClient(uri, token=token) if token else MilvusClient(str(Path(tmp) / "scale.db"))
        name = f"scale_bench_{os.getpid()}" if uri else "scale"
        if uri and name in client.list_collections():
            client.drop_collection(name)
        version = client.get_server_version()
        engine = f"Milvus server {version}" if uri else "Milvus Lite"
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("v", DataType.FLOAT_VECTOR, dim=dim)
        params = client.prepare_index_params()
        params.add_index(
            "v",
            index_type="HNSW",
            metric_type="IP",
            params={"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION},
        )
        client.create_collection(name, schema=schema, index_params=params)
        try:
            start = time.perf_counter()
            added, batch = 0, 5_000
            while added < n:
                block = np.asarray(xb[added : added + batch])
                client.insert(name, [{"id": added + i, "v": v} for i, v in enumerate(block.tolist())])
                added += len(block)
                if time.perf_counter() - start > time_box and added < n:
                    break
            client.flush(name)
            insert_s = time.perf_counter() - start
            log(f"  n={n:,} {engine}: {added:,} inserted and flushed in {insert_s:.0f} s; indexing")
            client.load_collection(name)
            wait = max(60.0, time_box - insert_s)
            settled = (
                _server_settle(client, name, added, wait)
                if uri
                else _lite_settle(Path(tmp) / "scale.db", wait)
            )
            build_s = time.perf_counter() - start
            index_s = build_s - insert_s
            mem = None if rss0 is None else rss_mb() - rss0
            disk = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 2**20
            part = (
                truth
                if added == n
                else faiss.knn(xq, np.asarray(xb[:added]), TOP_K, metric=faiss.METRIC_INNER_PRODUCT)[1]
            )
            queries = xq.tolist()
            state = "indexed" if settled else "STILL indexing"
            log(
                f"  n={n:,} {engine}: {state} after {build_s:.0f} s (insert {insert_s:.0f} s, index {index_s:.0f} s)"
            )
            for ef in ef_sweep:
                search = {"metric_type": "IP", "params": {"ef": max(ef, TOP_K)}}
                millis, found = [], []
                for q in queries:
                    began = time.perf_counter()
                    hits = client.search(name, data=[q], anns_field="v", limit=TOP_K, search_params=search)[0]
                    millis.append((time.perf_counter() - began) * 1000)
                    found.append([hit["id"] for hit in hits])
                recall = np.mean(
                    [len(set(f) & set(t)) / TOP_K for f, t in zip(found, part.tolist(), strict=True)]
                )
                figures = {
                    "median_ms": percentile(millis, 50),
                    "p95_ms": percentile(millis, 95),
                    "recall@10": float(recall),
                }
                label = f"{engine} HNSW M={HNSW_M} ef={ef}"
                rows.append(
                    {
                        "n": n,
                        "index": label,
                        "build_s": build_s,
                        "insert_s": insert_s,
                        "index_s": index_s,
                        "memory_mb": mem,
                        "disk_mb": None if uri else disk,
                        "queries": len(queries),
                        "settled": settled,
                        "indexed": added,
                        **figures,
                    }
                )
                log(f"  n={n:,} {label}: build {build_s:.1f} s, memory +{mem or 0:.0f} MB, {figures}")
        finally:
            if uri:
                client.drop_collection(name)
            client.close()
    return rows


# --- report ---------------------------------------------------------------------------------------------------------


def _family(row: dict) -> int:
    """Table order within a size: FAISS, then Milvus Lite, then a Milvus server."""
    name = row["index"]
    return 0 if name.startswith("FAISS") else 1 if name.startswith("Milvus Lite") else 2


def _note(row: dict, queries: int) -> str:
    parts = [] if row["indexed"] == row["n"] else [f"time box: {row['indexed']:,} indexed"]
    if "index_s" in row:
        parts.append(f"insert {row['insert_s']:.0f} s + index {row['index_s']:.0f} s")
    if not row.get("settled", True):
        parts.append("background index build unfinished")
    if row.get("queries", queries) != queries:
        parts.append(f"first {row['queries']} queries")
    return "; ".join(parts)


def _run_line(run: dict) -> str:
    m = run["machine"]
    end = f", {run['load_end']:.1f} at the end" if "load_end" in run else ""
    return (
        f"- `python -m eval.bench.scale {run['args']}` on {m['date']}, load average {m['load_average'][0]:.1f} "
        f"at the start{end}"
    )


def render(data: dict[str, Any]) -> str:
    runs = data["runs"]
    m = runs[-1]["machine"]
    ordered = sorted(data["rows"], key=lambda r: (r["n"], _family(r)))  # stable: each family keeps its order
    rows = [
        [
            _f(r["n"]),
            r["index"],
            _f(r["build_s"]),
            _f(r["memory_mb"], 0),
            _f(r["median_ms"], 2),
            _f(r["p95_ms"], 2),
            _f(r["recall@10"], 3),
            _note(r, data["queries"]),
        ]
        for r in ordered
    ]
    return "\n\n".join(
        [
            "# Scaling on realistic vectors",
            f"Generated by {'this run' if len(runs) == 1 else f'these {len(runs)} runs'} (`--previous` carries the "
            f"earlier runs' rows), on {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB, shared with other work. "
            "Figures, not pass/fail.\n\n" + "\n".join(_run_line(run) for run in runs),
            f"Vectors: the reports' {data['base']} passage and sentence embeddings (m3e-small, dim 512), mixed "
            f"pairwise (first parent's share {MIX[0]}–{MIX[1]}) and perturbed with Gaussian noise of the embeddings' "
            f"own covariance (×{NOISE}), unit length. Queries: the {data['queries']} gold questions, embedded; one at "
            "a time, top 10; recall@10 against exact search over the same vectors. FAISS builds use every core, "
            "searches one thread (the Flat row marked 2 threads uses both). FAISS memory is the index's serialised "
            "size. Milvus rows: the vectors are inserted in batches of 5,000 and flushed, then the HNSW index is "
            "waited for before any query (Milvus Lite: its background compaction and index build, then any segment "
            "still unindexed is indexed; a server: until it reports every row indexed); build s is insert + index, "
            "apart in the note. Milvus Lite's memory is the growth of this process's RSS (Lite runs in process), a "
            "local server's the growth of the server process's RSS. A time-boxed build is measured on what it "
            "indexed."
            + (
                " Server rows: the Milvus server at that run's --milvus-uri, named by the version it reports; its "
                "times include the client's gRPC round trip, and a local one shares this machine's cores."
                if any(_family(r) == 2 for r in data["rows"])
                else ""
            ),
            _table(
                ["vectors", "index", "build s", "memory MB", "median ms", "p95 ms", "recall@10", "note"],
                rows,
                left=2,
            ),
        ]
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated vector counts")
    parser.add_argument(
        "--time-box", type=float, default=600.0, help="seconds per index build before it stops"
    )
    parser.add_argument("--skip-milvus", action="store_true", help="FAISS only")
    parser.add_argument("--skip-faiss", action="store_true", help="Milvus only (with exact FAISS as truth)")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help=f"vector cache (default {DEFAULT_CACHE})"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown file to write")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    parser.add_argument(
        "--milvus-queries",
        type=int,
        default=None,
        help="ask Milvus only the first N queries (Lite is slow)",
    )
    parser.add_argument("--milvus-ef", default=None, help="comma-separated ef values for Milvus")
    parser.add_argument(
        "--milvus-uri",
        default=None,
        help="measure the Milvus server at this URI (http://127.0.0.1:19530) instead of Milvus Lite",
    )
    parser.add_argument(
        "--previous", type=Path, default=None, help="a --json file of an earlier run whose rows come first"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import faiss

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    info = machine()
    base, queries = base_vectors(args.cache, log)
    previous = json.loads(args.previous.read_text()) if args.previous else {"rows": [], "runs": []}
    runs = previous.get("runs") or (  # a JSON written before runs were kept: its one run
        [{"args": previous["args"], "machine": previous["machine"]}] if "args" in previous else []
    )
    rows: list[dict] = previous["rows"]
    for n in sizes:
        log(f"n={n:,}: generating (cached in {args.cache})")
        xb = realistic_vectors(n, base, args.cache)
        truth = faiss.knn(queries, np.ascontiguousarray(xb), TOP_K, metric=faiss.METRIC_INNER_PRODUCT)[1]
        if not args.skip_faiss:
            rows += bench_faiss(xb, queries, truth, time_box=args.time_box, log=log)
        if not args.skip_milvus:
            m = args.milvus_queries or len(queries)
            sweep = [int(e) for e in args.milvus_ef.split(",")] if args.milvus_ef else EF_SWEEP
            rows += bench_milvus(
                xb,
                queries[:m],
                truth[:m],
                time_box=args.time_box,
                log=log,
                ef_sweep=sweep,
                uri=args.milvus_uri,
            )
        del xb
        gc.collect()
    this_run = {
        "args": " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": info,
        "load_end": os.getloadavg()[0],  # the machine is shared: the load can change a lot during a run
    }
    data = {
        "runs": [*runs, this_run],
        "base": len(base),
        "queries": len(queries),
        "rows": rows,
    }
    args.out.write_text(render(data) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(render(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
