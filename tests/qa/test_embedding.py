"""A guest in other processes: importing and loading change nothing process-wide, and need no torch with ONNX.

Each check runs in a fresh interpreter, so what it sees is what `import qa` and `Assistant.load` did.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn", "scipy", "bm25s")

STATE = """
import json, logging, os, sys
import faiss, jieba

def state():
    loggers = {name: (logging.getLogger(name).level, len(logging.getLogger(name).handlers),
                      logging.getLogger(name).disabled)
               for name in ("", "jieba", "transformers", "sentence_transformers", "bm25s", "onnxruntime")}
    out = {"environ": dict(os.environ), "loggers": loggers, "root_handlers": len(logging.root.handlers),
           "jieba_initialized": jieba.dt.initialized, "jieba_words": len(jieba.dt.FREQ),
           "jieba_log": logging.getLogger("jieba").level, "faiss_threads": faiss.omp_get_max_threads()}
    if "torch" in sys.modules:
        out["torch_threads"] = sys.modules["torch"].get_num_threads()
    return out
"""


def run_python(code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", STATE + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_and_load_change_nothing_and_import_no_torch(index_dir):
    out = run_python(f"""
before = state()
import qa
after_import = state()
assistant = qa.Assistant.load({str(index_dir)!r})
answer = assistant.ask("南平工会组建率是多少").answer
print(json.dumps({{"before": before, "after_import": after_import, "after": state(), "answer": answer,
                  "encoder": type(assistant.retriever.embedder).__name__,
                  "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
""")
    assert out["answer"] == "95%以上"
    assert out["encoder"] == "OnnxEncoder"
    assert out["heavy"] == []  # no torch, transformers, sentence-transformers, scikit-learn, scipy, bm25s
    assert out["after_import"] == out["before"]
    assert out["after"] == out["before"]
    assert out["before"]["jieba_initialized"] is False and out["before"]["jieba_words"] == 0


@pytest.fixture(scope="module")
def index_without_onnx(index_dir, tmp_path_factory) -> Path:
    """The session index as an older build left it: no ONNX copy of the model in it."""
    target = tmp_path_factory.mktemp("no-onnx") / "idx"
    shutil.copytree(index_dir.resolve(), target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    block = manifest["model"].pop("onnx")
    for name in (block["file"], block["tokenizer"]):
        (target / name).unlink()
        manifest["files"].pop(name)
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return target


def test_the_torch_fallback_leaves_threads_loggers_and_environment_alone(index_without_onnx):
    # A host that already uses torch and sentence-transformers (whose imports set their own loggers and
    # KMP_* variables): what changes after this point is ours.
    out = run_python(f"""
import torch, sentence_transformers
torch.set_num_threads(1)
before = state()
import qa
assistant = qa.Assistant.load({str(index_without_onnx)!r})
answer = assistant.ask("南平工会组建率是多少").answer
print(json.dumps({{"before": before, "after": state(), "answer": answer,
                  "encoder": type(assistant.retriever.embedder).__name__}}))
""")
    assert out["encoder"] == "Embedder"  # sentence-transformers when the index has no ONNX file
    assert out["answer"] == "95%以上"
    assert out["after"] == out["before"]
    assert out["before"]["torch_threads"] == 1


def test_threads_are_set_only_when_asked(index_dir):
    out = run_python(f"""
import qa
before = state()
qa.Assistant.load({str(index_dir)!r}, threads=1).ask("南平工会组建率是多少")
print(json.dumps({{"before": before["faiss_threads"], "after": state()["faiss_threads"]}}))
""")
    assert out["after"] == 1  # the caller asked: FAISS's (process-wide) OpenMP threads follow
