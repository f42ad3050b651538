"""Performance figures, not pass/fail: build, embed, load, ask latency, memory, and search cost on synthetic corpora.

Run: python -m eval.bench [--sizes 10000,100000,1000000] [--quick] [--out eval/BENCH.md]
Start-up alone (CLI, Assistant.load, ask(), app ready, from fresh processes): python -m eval.bench.startup
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from importlib import metadata
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from ..markdown import table
from ..metrics import percentile
from .questions import questions

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "BENCH.md"
DIM = 512
TOP_K = 10
PACKAGES = (
    "faiss-cpu",
    "onnxruntime",
    "bm25s",
    "numpy",
    "torch",
    "sentence-transformers",
    "transformers",
    "jieba",
    "psutil",
)
# --- small helpers ------------------------------------------------------------------------------------------------


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _index_mb(index: Any) -> float:
    """A FAISS index's size as serialised, which is what it holds in memory (vectors, graph, lists)."""
    import faiss

    return faiss.serialize_index(index).nbytes / 2**20


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _latencies(fn: Callable[[Any], Any], inputs: Sequence[Any]) -> dict[str, float | None]:
    millis = []
    for x in inputs:
        start = time.perf_counter()
        fn(x)
        millis.append((time.perf_counter() - start) * 1000)
    return {"median_ms": percentile(millis, 50), "p95_ms": percentile(millis, 95)}


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, Python and package versions, date."""
    import psutil

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
        "packages": versions,
    }


# --- the real system ------------------------------------------------------------------------------------------------


def bench_system(
    seeds: Path,
    qs: Sequence[str],
    *,
    repeats: int = 1,
    startup: bool = True,
    log: Callable[[str], None] = print,
) -> dict:
    """Model load, cold and warm index build, embedding rate, Assistant load and ask() latency on the real corpus."""
    out: dict[str, Any] = {"questions": len(qs), "repeats": repeats}
    start = time.perf_counter()
    from index.encode.embedder import Embedder

    emb = Embedder.load()
    if hasattr(emb, "warm_up"):  # the model loads lazily: force it, so its load is counted here
        emb.warm_up()
    out["model_load_s"] = time.perf_counter() - start
    log(f"model loaded in {out['model_load_s']:.1f} s")

    from index.build import build_index

    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        index_dir = Path(tmp) / "idx"
        summary, out["build_cold_s"] = _timed(lambda: build_index(seeds, index_dir, embedder=emb, quiet=True))
        out["build_cold_with_model_s"] = out["build_cold_s"] + out["model_load_s"]
        warm, out["build_warm_s"] = _timed(lambda: build_index(seeds, index_dir, embedder=emb, quiet=True))
        out["embedded_warm"] = getattr(warm, "embedded", None)
        out["embedded_cold"] = getattr(summary, "embedded", None)
        log(f"index built cold in {out['build_cold_s']:.1f} s, warm in {out['build_warm_s']:.2f} s")

        texts = [
            json.loads(line)["text"]
            for line in (index_dir / "passages.jsonl").read_text("utf-8").splitlines()
        ]
        out["passages"] = len(texts)
        emb.encode_passages(texts[:8])  # warm-up
        _, seconds = _timed(lambda: emb.encode_passages(texts))
        out["embed_passages_per_s"] = len(texts) / seconds
        log(f"{len(texts)} passages embedded at {out['embed_passages_per_s']:.1f}/s")

        from qa import Assistant

        # The default load: questions are encoded by the index's ONNX copy of the model, not the torch model above.
        assistant, out["assistant_load_s"] = _timed(lambda: Assistant.load(index_dir))
        out["encoder"] = type(assistant.retriever.embedder).__name__
        _, out["first_ask_s"] = _timed(lambda: assistant.ask(qs[0], k=5))
        for q in qs[1:3]:  # warm-up: lazy loading (jieba dictionary, caches) is not query latency
            assistant.ask(q, k=5)
        lat = _latencies(lambda q: assistant.ask(q, k=5), list(qs) * repeats)
        out["ask_median_ms"], out["ask_p95_ms"] = lat["median_ms"], lat["p95_ms"]
        log(
            f"ask() median {lat['median_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms over {len(qs) * repeats} asks"
        )
        if startup:
            from .startup import bench_startup

            log("start-up from fresh processes:")
            out["startup"] = bench_startup(index_dir, list(qs), log=log)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# --- synthetic dense corpora ----------------------------------------------------------------------------------------


def unit_vectors(n: int, dim: int = DIM, *, seed: int = 0, chunk: int = 100_000) -> np.ndarray:
    """n random unit vectors (float32), generated in chunks to bound temporary memory."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, chunk):
        block = rng.standard_normal((min(chunk, n - start), dim), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + len(block)] = block
    return out


def _add_time_boxed(index: Any, xb: np.ndarray, time_box: float, chunk: int = 20_000) -> tuple[float, int]:
    """Add vectors in chunks until done or past the time box; returns (seconds, vectors added)."""
    start = time.perf_counter()
    added = 0
    while added < len(xb):
        index.add(xb[added : added + chunk])
        added = min(added + chunk, len(xb))
        if time.perf_counter() - start > time_box and added < len(xb):
            break
    return time.perf_counter() - start, added


def _search_figures(index: Any, xq: np.ndarray, truth: np.ndarray, threads: int) -> dict[str, float | None]:
    """Single-query latency with `threads` OpenMP threads, and recall@10 of a batch search against `truth`."""
    import faiss

    default = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    try:
        lat = _latencies(lambda q: index.search(q, TOP_K), [xq[i : i + 1] for i in range(len(xq))])
    finally:
        faiss.omp_set_num_threads(default)
    _, found = index.search(xq, TOP_K)
    recall = np.mean([len(set(found[i]) & set(truth[i])) / TOP_K for i in range(len(xq))])
    return {**lat, "recall@10": float(recall)}


def faiss_sweep(
    xb: np.ndarray,
    xq: np.ndarray,
    truth: np.ndarray,
    *,
    time_box: float,
    hnsw_m: int,
    ef_sweep: Sequence[int],
    nprobe_sweep: Sequence[int],
    nlist: int,
    ef_construction: int | None = None,
    threads: int = 1,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """FAISS Flat, HNSW (efSearch sweep) and IVF-Flat (nprobe sweep) over xb; one row per setting.

    Builds use every core; single-query searches use `threads` OpenMP threads (one row repeats Flat with all).
    A time-boxed build is measured on what it indexed, against exact search over the same vectors.
    """
    import faiss

    n, dim = xb.shape
    every = faiss.omp_get_max_threads()
    rows: list[dict] = []

    def row(
        name: str, index, build_s: float, mem_mb: float, added: int, exact: np.ndarray, search_threads: int
    ) -> None:
        """Search `index` (recall against `exact`) and record its figures under `name`."""
        figures = _search_figures(index, xq, exact, search_threads)
        rows.append(
            {"n": n, "index": name, "build_s": build_s, "memory_mb": mem_mb, "indexed": added, **figures}
        )
        log(f"  n={n:,} {name}: build {build_s:.1f} s, {mem_mb:.0f} MB, {figures}")

    def indexed_truth(added: int) -> np.ndarray:
        return truth if added == n else faiss.knn(xq, xb[:added], TOP_K, metric=faiss.METRIC_INNER_PRODUCT)[1]

    flat = faiss.IndexFlatIP(dim)
    build_s, added = _add_time_boxed(flat, np.ascontiguousarray(xb), float("inf"))
    mem = _index_mb(flat)
    row("FAISS Flat (exact)", flat, build_s, mem, added, truth, threads)
    if every != threads:
        row(f"FAISS Flat (exact), {every} search threads", flat, build_s, mem, added, truth, every)
    del flat
    gc.collect()

    hnsw = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
    if ef_construction is not None:
        hnsw.hnsw.efConstruction = ef_construction
    build_s, added = _add_time_boxed(hnsw, xb, time_box)
    mem, part = _index_mb(hnsw), indexed_truth(added)
    for ef in ef_sweep:
        hnsw.hnsw.efSearch = ef
        row(f"FAISS HNSW M={hnsw_m} efSearch={ef}", hnsw, build_s, mem, added, part, threads)
    del hnsw
    gc.collect()

    quantizer = faiss.IndexFlatIP(dim)
    ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = np.sort(np.random.default_rng(3).choice(n, size=min(n, 39 * nlist), replace=False))
    start = time.perf_counter()
    ivf.train(np.ascontiguousarray(xb[sample]))
    train_s = time.perf_counter() - start
    add_s, added = _add_time_boxed(ivf, xb, time_box)
    mem, part = _index_mb(ivf), indexed_truth(added)
    for nprobe in sorted({min(p, nlist) for p in nprobe_sweep}):
        ivf.nprobe = nprobe
        row(f"FAISS IVF-Flat nlist={nlist} nprobe={nprobe}", ivf, train_s + add_s, mem, added, part, threads)
    del ivf, quantizer
    gc.collect()
    return rows


def bench_dense(
    n: int,
    *,
    queries: int = 100,
    time_box: float = 600.0,
    threads: int = 1,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """faiss_sweep on n random unit vectors (a worst case for HNSW and IVF; eval/bench/scale.py has realistic ones)."""
    import faiss

    xb = unit_vectors(n, seed=1)
    xq = unit_vectors(queries, seed=2)
    truth = faiss.knn(xq, xb, TOP_K, metric=faiss.METRIC_INNER_PRODUCT)[1]
    return faiss_sweep(
        xb,
        xq,
        truth,
        time_box=time_box,
        hnsw_m=32,
        ef_sweep=(64, 256),
        nprobe_sweep=(8, 32, 128),
        nlist=max(16, int(round(np.sqrt(n)))),
        threads=threads,
        log=log,
    )


# --- synthetic keyword corpora --------------------------------------------------------------------------------------


class TokenSampler:
    """Resamples the real reports' tokens (unigram frequencies) and paragraph lengths into synthetic passages."""

    def __init__(self, seeds: Path):
        from index.text.normalise import tokenize

        paragraphs = [
            p for f in sorted(seeds.glob("*.txt")) for p in f.read_text("utf-8").split("\n") if p.strip()
        ]
        tokenized = [tokenize(p) for p in paragraphs]
        tokenized = [t for t in tokenized if len(t) >= 5]
        self.vocab: dict[str, int] = {}
        stream = [self.vocab.setdefault(tok, len(self.vocab)) for toks in tokenized for tok in toks]
        self.stream = np.asarray(stream, dtype=np.int32)
        self.lengths = np.asarray([len(t) for t in tokenized], dtype=np.int32)
        self.pool = list(range(len(self.vocab)))  # shared int objects keep a million passages small

    def passages(self, n: int, *, seed: int = 0) -> list[tuple[int, ...]]:
        rng = np.random.default_rng(seed)
        lengths = rng.choice(self.lengths, size=n)
        ids = self.stream[rng.integers(0, len(self.stream), size=int(lengths.sum()))].tolist()
        out, pos = [], 0
        for length in lengths.tolist():
            out.append(itemgetter(*ids[pos : pos + length])(self.pool) if length > 1 else (ids[pos],))
            pos += length
        return out


def bench_keyword(
    n: int,
    sampler: TokenSampler,
    query_tokens: Sequence[list[str]],
    *,
    log: Callable[[str], None] = print,
) -> dict:
    """bm25s over n resampled passages: build time, single-query latency, index memory."""
    import bm25s

    corpus, gen_s = _timed(lambda: sampler.passages(n, seed=4))
    tokens = sum(len(p) for p in corpus)
    from index.store.keyword import K1, B

    retriever = bm25s.BM25(k1=K1, b=B)
    start = time.perf_counter()
    retriever.index((corpus, dict(sampler.vocab)), show_progress=False)
    build_s = time.perf_counter() - start
    del corpus
    gc.collect()
    index_mb = sum(retriever.scores[key].nbytes for key in ("data", "indices", "indptr")) / 2**20
    usable = [[t for t in q if t in sampler.vocab] for q in query_tokens]
    usable = [q for q in usable if q]
    lat = _latencies(partial(_bm25_top, retriever), usable)
    row = {
        "n": n,
        "tokens": tokens,
        "generate_s": gen_s,
        "build_s": build_s,
        "index_mb": index_mb,
        **lat,
    }
    log(f"  keyword n={n:,}: build {build_s:.1f} s, {lat}")
    retriever.scores = None  # free the index before the next size
    gc.collect()
    return row


def _bm25_top(retriever: Any, tokens: list[str]) -> np.ndarray:
    """As the keyword leg does it: every passage's score, then the top 10."""
    scores = retriever.get_scores(tokens)
    top = np.argpartition(-scores, TOP_K)[:TOP_K]
    return top[np.argsort(-scores[top])]


# --- report ---------------------------------------------------------------------------------------------------------


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(data: dict[str, Any]) -> str:
    """The figures as Markdown."""
    m = data["machine"]
    parts = [
        "# Performance benchmark",
        f"Generated by `{' '.join(['python -m eval.bench', data['args']]).strip()}` on {m['date']}. Figures, not pass/fail.",
        "## Machine",
        table(
            ["machine", ""],
            [
                ["CPU", m["cpu"]],
                ["cores", str(m["cores"])],
                ["RAM", f"{m['ram_gib']} GiB"],
                ["Python", m["python"]],
                ["platform", m["platform"]],
                [
                    "load average at start / end (1 min)",
                    f"{m['load_average'][0]:.2f} / {data.get('load_end', float('nan')):.2f} "
                    "(the machine is shared; figures taken under load vary)",
                ],
                *([name, version] for name, version in m["packages"].items()),
            ],
            left=2,
        ),
    ]
    s = data.get("system")
    if s:
        parts += [
            "## The assistant on the real corpus",
            table(
                ["measure", "value"],
                [
                    ["model load (imports + weights)", f"{_f(s['model_load_s'], 2)} s"],
                    [
                        f"index build, cold ({s['passages']} passages, fresh temp dir)",
                        f"{_f(s['build_cold_s'], 2)} s",
                    ],
                    ["index build, cold including model load", f"{_f(s['build_cold_with_model_s'], 2)} s"],
                    [
                        f"index build, warm (rebuild, nothing changed; {_f(s['embedded_warm'])} re-embedded)",
                        f"{_f(s['build_warm_s'], 2)} s",
                    ],
                    ["passages embedded per second", _f(s["embed_passages_per_s"])],
                    [
                        f"Assistant.load (in this process; query encoder {s.get('encoder', '–')})",
                        f"{_f(s['assistant_load_s'], 2)} s",
                    ],
                    ["first ask() after load (lazy set-up included)", f"{_f(s['first_ask_s'], 2)} s"],
                    [
                        f"ask() latency median / p95 ({s['questions']} questions × {s['repeats']}, after warm-up)",
                        f"{_f(s['ask_median_ms'])} / {_f(s['ask_p95_ms'])} ms",
                    ],
                    ["peak RSS after this part", f"{_f(s['peak_rss_mb'], 0)} MB"],
                ],
            ),
        ]
        if s.get("startup"):
            from .startup import render_startup

            parts += ["## Start-up (fresh processes)", render_startup(s["startup"])]
    if data.get("dense"):
        parts += [
            "## Dense search as the corpus grows",
            f"Random unit vectors, dim {DIM}, float32; {data['queries']} random unit queries, one at a time, "
            f"top {TOP_K}; recall@10 against exact search (IndexFlatIP) over the same vectors. "
            "Uniform random vectors have no cluster structure, the worst case for approximate indexes: "
            "real embeddings reach higher recall at the same settings (eval/SCALE.md, `python -m eval.bench.scale`: "
            "realistic vectors, with Milvus Lite). Memory is the index's serialised "
            f"size. Builds use {data['faiss_threads']} FAISS threads; single-query searches use "
            f"{data['search_threads']} (one Flat row repeats with all threads). Build time box: {_f(data['time_box'], 0)} s; "
            "a build it stops is searched over what it indexed, recall against exact search over those vectors.",
            table(
                ["passages", "index", "build s", "memory MB", "median ms", "p95 ms", "recall@10", "note"],
                [
                    [
                        _f(r["n"]),
                        r["index"],
                        _f(r["build_s"], 1),
                        _f(r["memory_mb"], 0),
                        _f(r["median_ms"], 2),
                        _f(r["p95_ms"], 2),
                        _f(r["recall@10"], 3),
                        "" if r["indexed"] == r["n"] else f"time box: {r['indexed']:,} indexed",
                    ]
                    for r in data["dense"]
                ],
            ),
        ]
    if data.get("keyword") or data.get("keyword_skipped"):
        rows = [
            [
                _f(r["n"]),
                _f(r["tokens"]),
                _f(r["build_s"], 1),
                _f(r["index_mb"], 0),
                _f(r["median_ms"], 2),
                _f(r["p95_ms"], 2),
            ]
            for r in data.get("keyword", [])
        ]
        parts += [
            "## Keyword search (bm25s) as the corpus grows",
            "Synthetic passages resampled from the reports' own tokens (unigram frequencies) and paragraph "
            "lengths; queries are the benchmark questions tokenised as the keyword leg does, one at a time: "
            "BM25 scores of every passage (bm25s `get_scores`, numpy backend), then the top 10.",
            table(["passages", "tokens", "build s", "index MB", "median ms", "p95 ms"], rows),
            *(f"- {note}" for note in data.get("keyword_skipped", [])),
        ]
    parts.append(f"Peak RSS of the whole benchmark process: {_f(data['peak_rss_mb'], 0)} MB.")
    return "\n\n".join(parts) + "\n"


# --- command line ---------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="synthetic corpus sizes (comma-separated)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="sizes 10000 only, 50 queries, one pass of questions"
    )
    parser.add_argument(
        "--queries", type=int, default=100, help="synthetic queries per dense index (default 100)"
    )
    parser.add_argument("--repeats", type=int, default=2, help="passes over the questions for ask() latency")
    parser.add_argument(
        "--time-box", type=float, default=600.0, help="seconds per approximate-index build (default 600)"
    )
    parser.add_argument(
        "--search-threads", type=int, default=1, help="FAISS threads for query latency (default 1)"
    )
    parser.add_argument(
        "--keyword-max", type=int, default=1_000_000, help="largest corpus for the bm25s part"
    )
    parser.add_argument("--gold", type=Path, default=Path(__file__).resolve().parents[1] / "gold.jsonl")
    parser.add_argument("--skip-system", action="store_true", help="only the synthetic scaling part")
    parser.add_argument(
        "--no-startup",
        action="store_true",
        help="skip the fresh-process start-up figures (eval.bench.startup)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="Markdown output (default eval/BENCH.md)"
    )
    args = parser.parse_args(argv)
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: expected comma-separated integers such as 10000,100000")
    if args.quick:
        args.size_list, args.queries, args.repeats = [10_000], 50, 1
    if any(n < TOP_K for n in args.size_list):
        parser.error(f"--sizes: every size must be at least {TOP_K}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import faiss

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    data: dict[str, Any] = {
        "args": " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "queries": args.queries,
        "time_box": args.time_box,
        "faiss_threads": faiss.omp_get_max_threads(),
        "search_threads": args.search_threads,
    }
    try:
        qs = questions(args.gold)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.skip_system:
        data["system"] = bench_system(SEEDS, qs, repeats=args.repeats, startup=not args.no_startup, log=log)
    data["dense"] = []
    for n in args.size_list:
        data["dense"] += bench_dense(
            n, queries=args.queries, time_box=args.time_box, threads=args.search_threads, log=log
        )
    from index.text.normalise import tokenize

    sampler = TokenSampler(SEEDS)
    query_tokens = [tokenize(q) for q in qs]
    data["keyword"], data["keyword_skipped"] = [], []
    for n in args.size_list:
        last = data["keyword"][-1] if data["keyword"] else None
        # bm25s indexing cannot be interrupted: skip a size whose linear estimate exceeds the time box.
        estimate = (last["generate_s"] + last["build_s"]) * n / last["n"] if last else 0.0
        if n > args.keyword_max or estimate > args.time_box:
            why = (
                f"over --keyword-max {args.keyword_max:,}"
                if n > args.keyword_max
                else (
                    f"estimated {estimate:,.0f} s from the {last['n']:,} run, over the {args.time_box:,.0f} s time box"
                )
            )
            data["keyword_skipped"].append(f"{n:,} passages not measured: {why}.")
            log(f"  keyword n={n:,} skipped: {why}")
            continue
        data["keyword"].append(bench_keyword(n, sampler, query_tokens, log=log))
    data["peak_rss_mb"] = peak_rss_mb()
    data["load_end"] = os.getloadavg()[0]
    text = render(data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
