"""Start-up figures from fresh processes: the one-question CLI, Assistant.load, ask(), the web app's ready time.

Run: python -m eval.bench.startup [--index-dir DIR] [--root CHECKOUT] [--runs 3]
(--root measures another checkout of the project, e.g. an older commit, against the same built index.)
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..markdown import table

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "南平工会组建率是多少"
TARGETS = {"cli_s": 2.0, "load_s": 1.5, "ask_median_ms": 20.0, "cli_peak_rss_mb": 500.0, "app_ready_s": 4.0}

# Runs in a fresh interpreter inside the measured checkout: times `import qa`, Assistant.load, then ask().
_LOAD_AND_ASK = """
import json, sys, time
t = time.perf_counter()
import qa
imported = time.perf_counter() - t
t, c = time.perf_counter(), time.process_time()
assistant = qa.Assistant.load(sys.argv[1])
loaded, load_cpu = time.perf_counter() - t, time.process_time() - c
questions = json.loads(sys.argv[2])
t = time.perf_counter()
assistant.ask(questions[0])
first = time.perf_counter() - t
millis, cpu = [], []
for q in questions[1:]:
    t, c = time.perf_counter(), time.process_time()
    assistant.ask(q)
    millis.append((time.perf_counter() - t) * 1000)
    cpu.append((time.process_time() - c) * 1000)
millis.sort()
cpu.sort()
print(json.dumps({"import_s": imported, "load_s": loaded, "load_cpu_s": load_cpu, "first_ask_s": first,
                  "ask_median_ms": millis[len(millis) // 2], "ask_p95_ms": millis[int(len(millis) * 0.95)],
                  "ask_cpu_median_ms": cpu[len(cpu) // 2],
                  "encoder": type(assistant.retriever.embedder).__name__}))
"""


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return env | {"PYTHONPATH": str(root), "HF_HUB_OFFLINE": "1"}


def cli_run(root: Path, index_dir: Path) -> dict[str, float]:
    """Wall time and peak RSS of one `python -m qa QUESTION` process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa", QUESTION, "--index-dir", str(index_dir)],
        cwd=root,
        env=_env(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    out = proc.stdout.read().decode("utf-8") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or "95%" not in out:
        raise RuntimeError(f"python -m qa failed (exit {proc.returncode}): {out[-500:]}")
    # CPU time as well as wall time: on a shared machine the wall time mostly measures the neighbours.
    cpu = usage.ru_utime + usage.ru_stime
    return {"cli_s": wall, "cli_cpu_s": cpu, "cli_peak_rss_mb": usage.ru_maxrss / 1024}


def load_and_ask(root: Path, index_dir: Path, questions: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_AND_ASK, str(index_dir), json.dumps([QUESTION, *questions])],
        cwd=root,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load-and-ask failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def app_ready(root: Path, index_dir: Path, timeout: float = 300.0) -> tuple[float, float] | None:
    """Seconds from starting app.py to its "Ready:" line, and the CPU seconds it used by then; None when it
    does not get there."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port), "--index-dir", str(index_dir)],
        cwd=root,
        env=_env(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = None
    try:
        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.perf_counter() - started < timeout and proc.poll() is None:
            if selector.select(timeout=1.0):
                line = proc.stdout.readline()
                if line.startswith("Ready:"):
                    ready = (time.perf_counter() - started, _cpu_seconds(proc.pid))
                    break
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return ready


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_startup(
    index_dir: Path, questions: list[str], *, root: Path = ROOT, runs: int = 3, log=print
) -> dict[str, Any]:
    """Medians over `runs` fresh processes of each measurement, with the load average while measuring."""
    load_before = os.getloadavg()[0]
    cli = [cli_run(root, index_dir) for _ in range(runs)]
    log(
        f"  python -m qa: {[round(c['cli_s'], 2) for c in cli]} s, CPU {[round(c['cli_cpu_s'], 2) for c in cli]} s"
    )
    inproc = [load_and_ask(root, index_dir, questions) for _ in range(runs)]
    log(f"  Assistant.load: {[round(r['load_s'], 2) for r in inproc]} s")
    app = [app_ready(root, index_dir) for _ in range(runs)] if (root / "app.py").is_file() else []
    log(
        f"  app ready: {[None if a is None else round(a[0], 2) for a in app]} s, CPU "
        f"{[None if a is None else round(a[1], 2) for a in app]} s"
    )
    out: dict[str, Any] = {
        "root": str(root),
        "runs": runs,
        "encoder": inproc[0]["encoder"],
        "load_average": (load_before, os.getloadavg()[0]),
    }
    for key in ("cli_s", "cli_cpu_s", "cli_peak_rss_mb"):
        out[key] = statistics.median(c[key] for c in cli)
    for key in (
        "import_s",
        "load_s",
        "load_cpu_s",
        "first_ask_s",
        "ask_median_ms",
        "ask_p95_ms",
        "ask_cpu_median_ms",
    ):
        out[key] = statistics.median(r[key] for r in inproc)
    ok = [a for a in app if a is not None]
    out["app_ready_s"] = statistics.median(a[0] for a in ok) if ok else None
    out["app_cpu_s"] = statistics.median(a[1] for a in ok) if ok else None
    return out


def render_startup(s: dict[str, Any]) -> str:
    def mark(key: str) -> str:
        return "" if key not in TARGETS else (" ✓" if s[key] <= TARGETS[key] else " ✗")

    rows = [
        (
            f'fresh `python -m qa "{QUESTION}"` (answer printed)',
            f"{s['cli_s']:.2f} s{mark('cli_s')}",
            "< 2 s",
        ),
        ("its CPU time (user + sys)", f"{s['cli_cpu_s']:.2f} s", ""),
        ("its peak RSS", f"{s['cli_peak_rss_mb']:.0f} MB{mark('cli_peak_rss_mb')}", "< 500 MB"),
        ("`import qa`", f"{s['import_s']:.2f} s", ""),
        ("`Assistant.load(index_dir)`", f"{s['load_s']:.2f} s{mark('load_s')}", "< 1.5 s"),
        ("its CPU time", f"{s['load_cpu_s']:.2f} s", ""),
        ("first ask() after it", f"{s['first_ask_s']:.2f} s", ""),
        (
            "ask() median / p95",
            f"{s['ask_median_ms']:.1f} / {s['ask_p95_ms']:.1f} ms{mark('ask_median_ms')}",
            "median ≤ 20 ms",
        ),
        ("ask() CPU time, median", f"{s['ask_cpu_median_ms']:.1f} ms", ""),
        (
            "`python app.py` to its Ready line",
            "–" if s["app_ready_s"] is None else f"{s['app_ready_s']:.2f} s{mark('app_ready_s')}",
            "< 4 s",
        ),
        ("its CPU time by then", "–" if s["app_cpu_s"] is None else f"{s['app_cpu_s']:.2f} s", ""),
    ]
    lines = [
        f"Fresh processes, median of {s['runs']}, built index; query encoder {s['encoder']}; "
        f"load average {s['load_average'][0]:.2f} → {s['load_average'][1]:.2f} on {os.cpu_count()} cores.",
        "",
        table(["measure", "value", "target"], rows, align="lrl"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=None, help="a built index (default: the project's)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from index.loaded import default_index_dir

    from .questions import questions

    index_dir = args.index_dir or default_index_dir()
    qs = questions(Path(__file__).resolve().parents[1] / "gold.jsonl")
    data = bench_startup(
        index_dir, qs, root=args.root.resolve(), runs=args.runs, log=lambda m: print(m, file=sys.stderr)
    )
    print(render_startup(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
