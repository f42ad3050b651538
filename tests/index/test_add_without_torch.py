"""Adding a report embeds its passages with the index's ONNX encoder: it works with torch made unimportable,
and a table cell of the added report answers its question."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from index.build import build_index
from index.encode.encoder import OnnxEncoder
from index.manifest import read_manifest
from tests.sample_reports import REPORT_A, REPORT_B

ROOT = Path(__file__).resolve().parents[2]
TOWNS = (("乡镇", "基层工会数", "组建率"), ("小陶镇", "46家", "93.1%"), ("贡川镇", "38家", "88.4%"))

# Run in a fresh interpreter: torch and the packages built on it cannot be imported at all.
BLOCKED = """
import importlib.abc, sys
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "sentence_transformers", "transformers"):
            raise ImportError(f"{name} is blocked in this test")
        return None
sys.meta_path.insert(0, Blocker())
import json
from index.__main__ import main
code = main(sys.argv[1:])
from qa import Assistant
answer = Assistant.load(sys.argv[sys.argv.index("--index-dir") + 1]).ask("永安市小陶镇的工会组建率是多少", k=3)
print(json.dumps({"code": code, "answer": answer.answer, "source": answer.citations[0].source,
                  "torch": [m for m in sys.modules if m.split(".")[0] in ("torch", "sentence_transformers")]}))
"""


def _report_with_table(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("永安市总工会2022年工作报告", level=0)
    document.add_paragraph("2022年，永安市总工会团结带领全市职工建功新时代，基层工会组建工作取得新进展。")
    document.add_paragraph("永安市各乡镇工会组建情况")
    grid = document.add_table(rows=len(TOWNS), cols=3)
    for r, row in enumerate(TOWNS):
        for c, cell in enumerate(row):
            grid.cell(r, c).text = cell
    document.add_paragraph("下一步，永安市总工会将推进新就业形态劳动者入会，力争年内新发展会员3200人。")
    document.save(str(path))
    return path


def test_add_works_with_torch_unimportable_and_a_table_cell_answers(tmp_path, embedder):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (seeds / "b.txt").write_text(REPORT_B, encoding="utf-8")
    index_dir = tmp_path / "idx"
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    assert read_manifest(index_dir)["model"]["onnx"], "the build exported its ONNX encoder"

    report = _report_with_table(tmp_path / "永安.docx")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"HF_HUB_OFFLINE": "1"}
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    run = subprocess.run(
        [sys.executable, "-c", BLOCKED, "add", str(report), "--place", "永安市", "--date", "2022", *where],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "answer": "93.1%", "source": "永安.docx", "torch": []}


def test_onnx_passage_vectors_match_sentence_transformers_in_any_order(index_dir, embedder):
    from index.loaded import Index

    index = Index.load(index_dir)
    block = index.manifest["model"]["onnx"]
    encoder = OnnxEncoder.load(index_dir, block, model_sha256=index.manifest["model"]["sha256"])
    texts = [p.text for p in index.passages[:40]]
    texts = (
        texts[::2] + texts[1::2]
    )  # lengths in no order: batches are formed by length, rows come back in place
    onnx = encoder.encode_passages(texts, batch_size=8)
    reference = embedder.encode_passages(texts)
    assert float(np.min(np.sum(onnx * reference, axis=1))) >= 0.9999
