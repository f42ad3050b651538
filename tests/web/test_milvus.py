"""Issue 14's "done means": `python -m index build --store milvus` then `python app.py --store milvus` answers over HTTP
as FAISS does (real processes, real Milvus Lite file, the JSON API)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "南平工会组建率是多少"
TIMEOUT = 180  # seconds for a build or a start on 2 shared cores


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_index(index_dir: Path, root: Path) -> Path:
    """The session index's layout (its builds folder and the link to the current build), so vectors are reused."""
    from index.publish import builds_dir

    target = root / index_dir.name
    shutil.copytree(builds_dir(index_dir), builds_dir(target), symlinks=True)
    os.symlink(os.readlink(index_dir), target)
    return target


def test_index_build_then_app_answers_over_http_as_faiss_does(index_dir, assistant, tmp_path):
    target, lite = _copy_index(index_dir, tmp_path), str(tmp_path / "milvus.db")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    env.pop("APP_AUTH", None)
    store = ["--store", "milvus", "--milvus-uri", lite]
    build = subprocess.run(
        [sys.executable, "-m", "index", "build", "--index-dir", str(target), "--quiet", *store],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["store"]["kind"] == "milvus" and manifest["store"]["uri"] == str(Path(lite).resolve())

    port, log = _free_port(), tmp_path / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port), "--index-dir", str(target), *store],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        started, url = time.perf_counter(), None
        while time.perf_counter() - started < TIMEOUT and proc.poll() is None and not url:
            found = re.search(r"Ready: (http://127\.0\.0\.1:\d+/)", log.read_text())
            url = found.group(1) if found else None
            time.sleep(0.2)
        assert url, f"no 'Ready: URL' line; exit code {proc.poll()}; log:\n{log.read_text()}"
        assert "cannot be used" not in log.read_text(), log.read_text()
        reply = httpx.post(f"{url}api/v1/ask", json={"question": QUESTION, "k": 5}, timeout=60)
        assert reply.status_code == 200, reply.text
        theirs, ours = reply.json(), assistant.ask(QUESTION, k=5).to_dict()
        assert theirs["answer"] == ours["answer"] == "95%以上"
        assert theirs["sentence"] == ours["sentence"]
        assert [c["passage_id"] for c in theirs["citations"]] == [c["passage_id"] for c in ours["citations"]]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
