"""The web server's memory under load: RSS of a real `python app.py` over N mixed requests after a warm-up.

Run: python -m eval.bench.serve_memory [--requests 2000] [--warm-up 300] [--threads 8] [--index-dir DIR]
Starts app.py on a free loopback port (127.0.0.1 only), sends chat-API, JSON-API, page, bad-input, oversized
and concurrent-burst requests, samples the server's RSS, and prints it; "flat" means the last sample is
within 10% of the one after the warm-up.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
CITIES = ("南平", "漳州", "龙岩", "衢州", "福州", "闽西")
TOPICS = ("工会组建率", "会员人数", "职工技术服务队", "帮扶困难职工", "工会驿站", "医疗互助", "劳模", "主席")
FLAT = 0.10  # the bound: RSS within 10% after warm-up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(index_dir: Path | None, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)]
    if index_dir:
        cmd += ["--index-dir", str(index_dir)]
    env = {k: v for k, v in os.environ.items() if k != "APP_AUTH"}
    env.update(HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        found = re.search(r"Ready: (http://127\.0\.0\.1:\d+/)", log.read_text())
        if found:
            return proc, found.group(1)
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"app.py did not start; log:\n{log.read_text()[-3000:]}")


def question(rng: random.Random) -> str:
    return f"{rng.choice(CITIES)}{rng.choice(TOPICS)}{rng.choice(('是多少', '有多少', '怎么样', '？', ''))}"


def raw_call(http: httpx.Client, name: str, data: list) -> int:
    """A Gradio endpoint over plain HTTP: POST, then read its event stream."""
    reply = http.post(f"gradio_api/call/{name}", json={"data": data})
    if reply.status_code != 200:
        return reply.status_code
    return http.get(f"gradio_api/call/{name}/{reply.json()['event_id']}").status_code


def one_request(url: str, i: int) -> str:
    """One request of a kind chosen by i; returns "kind:status"."""
    rng = random.Random(i)
    kind = (
        "ask",
        "search",
        "reports",
        "gradio_ask",
        "gradio_chat",
        "page",
        "bad",
        "oversized",
        "ask",
        "search",
    )[i % 10]
    with httpx.Client(base_url=url, timeout=120) as http:
        if kind == "ask":
            status = http.post(
                "api/v1/ask", json={"question": question(rng), "k": rng.randint(1, 10)}
            ).status_code
        elif kind == "search":
            body = {"question": question(rng), "k": 10, "city": rng.choice((None, "南平", "龙岩"))}
            status = http.post("api/v1/search", json=body).status_code
        elif kind == "reports":
            status = http.get("api/v1/reports").status_code
        elif kind == "gradio_ask":
            status = raw_call(http, "ask", [question(rng)])
        elif kind == "gradio_chat":
            status = raw_call(
                http, "chat", [question(rng), [question(rng) for _ in range(rng.randint(0, 10))]]
            )
        elif kind == "page":
            status = http.get("").status_code
            status = http.get("config").status_code if status == 200 else status
        elif kind == "bad":
            status = http.post("api/v1/ask", json={"question": "问" * 10_000, "k": "nan"}).status_code
        else:  # 1 MB body, refused by the body limit; the server may close before the client has sent it all
            try:
                status = http.post("api/v1/ask", content=b"x" * 1_000_000).status_code
            except httpx.TransportError:
                status = "reset"
    return f"{kind}:{status}"


def run(url: str, ids: range, threads: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for outcome in pool.map(lambda i: one_request(url, i), ids):
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warm-up", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--burst", type=int, default=40, help="every 10th batch is sent by this many threads")
    parser.add_argument("--index-dir", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_app(args.index_dir, Path(tmp) / "app.log")
        server = psutil.Process(proc.pid)
        try:
            idle = server.memory_info().rss
            run(url, range(args.warm_up), args.threads)
            warm = server.memory_info().rss
            samples, counts, started = [], {}, time.perf_counter()
            batch = 250
            ids = iter(range(args.warm_up, args.warm_up + args.requests))
            for n in itertools.count(1):
                chunk = list(itertools.islice(ids, batch))
                if not chunk:
                    break
                threads = args.burst if n % 4 == 0 else args.threads
                for key, value in run(url, range(chunk[0], chunk[-1] + 1), threads).items():
                    counts[key] = counts.get(key, 0) + value
                samples.append(server.memory_info().rss)
            seconds = time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    mb = 1024 * 1024
    growth = samples[-1] / warm - 1
    print(f"app.py RSS: idle {idle / mb:.0f} MB, after {args.warm_up} warm-up requests {warm / mb:.0f} MB")
    print(
        f"then {args.requests} mixed requests in {seconds:.0f} s ({args.threads} threads, bursts of {args.burst}): "
        + ", ".join(f"{s / mb:.0f}" for s in samples)
        + " MB"
    )
    print(
        f"last vs after warm-up: {growth:+.1%} (max {max(samples) / mb:.0f} MB); flat within 10%: {abs(growth) <= FLAT}"
    )
    print("outcomes:", json.dumps(dict(sorted(counts.items())), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
