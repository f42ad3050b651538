"""Serving: the security settings of a launched app, load through the bounded queue, index problems."""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from gradio_client import Client
from gradio_client.utils import QueueError

import web.app as app

QUESTION = "南平工会组建率是多少"
TIMEOUT = 120  # seconds any single request may take before the test calls it hung


def _one(url: str) -> tuple[str, float]:
    started = time.perf_counter()
    client = Client(url, verbose=False)
    try:
        result = client.submit(QUESTION, api_name="/ask").result(timeout=TIMEOUT)
    except QueueError:
        return "queue_full", time.perf_counter() - started
    finally:
        client.close()
    assert "95%以上" in result["answer"], result
    return "answered", time.perf_counter() - started


def _burst(url: str, n: int = 20) -> list[tuple[str, float]]:
    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(_one, url) for _ in range(n)]
        # Bounded: a request that hangs fails the test instead of blocking it.
        return [f.result(timeout=TIMEOUT + 30) for f in futures]


def test_twenty_concurrent_requests_complete_or_are_turned_away(app_url, capsys):
    outcomes = _burst(app_url)
    kinds = [k for k, _ in outcomes]
    times = sorted(t for k, t in outcomes if k == "answered")
    with capsys.disabled():
        print(
            f"\n20 concurrent /ask: {kinds.count('answered')} answered, {kinds.count('queue_full')} queue full; "
            f"median {statistics.median(times):.2f}s, max {times[-1]:.2f}s"
        )
    assert set(kinds) <= {"answered", "queue_full"}
    assert kinds.count("answered") >= 1
    # Still answers afterwards.
    assert _one(app_url)[0] == "answered"


def test_a_full_queue_turns_requests_away_cleanly(assistant, serve_app, capsys):
    url = serve_app(assistant, queue_size=1, concurrency=1)
    kinds = [k for k, _ in _burst(url)]
    with capsys.disabled():
        print(f"\nqueue of 1: {kinds.count('answered')} answered, {kinds.count('queue_full')} turned away")
    assert "queue_full" in kinds and "answered" in kinds
    assert _one(url)[0] == "answered"


def test_served_with_the_house_security_settings(app_url):
    assert app_url.startswith("http://127.0.0.1:")
    base = app_url.rstrip("/")
    root = Path(app.__file__).resolve().parents[1]
    with httpx.Client(timeout=10) as http:
        assert http.get(f"{base}/monitoring").status_code in (403, 404)
        config = http.get(f"{base}/config").json()
        # Files next to the app (its source, the reports) are not served.
        for path in (root / "app.py", root / "seeds" / "001_7f7e28910d8affd7.txt"):
            assert http.get(f"{base}/gradio_api/file={path}").status_code in (403, 404)
    assert config["analytics_enabled"] is False
    assert not config.get("mcp_server") and not config.get("run_history")
    assert config["footer_links"] == ["api"]


def test_an_index_problem_is_a_message_without_server_paths(tmp_path, embedder, serve_app, caplog):
    from index.errors import IndexProblem
    from qa import Assistant

    (tmp_path / "idx").mkdir()
    (tmp_path / "idx" / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexProblem) as caught:
        Assistant.load(tmp_path / "idx", embedder=embedder)
    assert str(tmp_path) in str(caught.value)  # the message names the file: the log and console keep it
    url = serve_app(None, load_error=str(caught.value))
    client = Client(url, verbose=False)
    result = client.predict(QUESTION, api_name="/ask")
    client.close()
    assert result["error"].startswith("索引不可用：") and "manifest.json" in result["error"]
    with httpx.Client(timeout=10) as http:
        page_config = http.get(f"{url}config").text
        api = http.post(f"{url}api/v1/ask", json={"question": QUESTION})
    assert api.status_code == 503 and "manifest.json" in api.json()["error"]
    # Anonymous users see no server path: not in the reply, the page's status line, or the JSON API.
    for shown in (result["error"], page_config, api.text):
        assert str(tmp_path) not in shown and "/tmp" not in shown
    assert any(str(tmp_path) in r.getMessage() for r in caplog.records)  # the log has it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_python_app_py_starts_prints_the_url_and_answers(index_dir, tmp_path, capsys):
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    env.pop("APP_AUTH", None)
    log = tmp_path / "app.log"
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port), "--index-dir", str(index_dir)],
            cwd=Path(app.__file__).resolve().parents[1],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        url = None
        while time.perf_counter() - started < TIMEOUT and proc.poll() is None and not url:
            found = re.search(r"Ready: (http://127\.0\.0\.1:\d+/?)", log.read_text())
            url = found.group(1) if found else None
            time.sleep(0.2)
        assert url, f"no 'Ready: URL' line; exit code {proc.poll()}; log:\n{log.read_text()}"
        ready = time.perf_counter() - started
        with capsys.disabled():
            print(f"\npython app.py (index already built): ready in {ready:.1f}s")
        assert url.rstrip("/").endswith(f":{port}")
        client = Client(url, verbose=False)
        assert "95%以上" in client.predict(QUESTION, api_name="/ask")["answer"]
        client.close()
        # The output stays clean: no library debug lines or progress bars, before or after a question.
        said = [line for line in log.read_text().splitlines() if line.strip()]
        assert all(line.startswith(("Loading the index", "Ready:", "JSON API:")) for line in said), said
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_auth_keeps_out_anyone_without_the_password(assistant, serve_app):
    url = serve_app(assistant, auth=app.parse_auth("ann:s3cret"))
    with httpx.Client(timeout=10) as http:
        assert http.get(f"{url.rstrip('/')}/config").status_code == 401
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain ValueError/HTTP error
        Client(url, verbose=False)
    client = Client(url, auth=("ann", "s3cret"), verbose=False)
    assert "95%以上" in client.predict(QUESTION, api_name="/ask")["answer"]
    client.close()
