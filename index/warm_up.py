"""Loading, once a process, what every add of a report needs, so that the first add is no slower than the next."""

from __future__ import annotations

import importlib
from pathlib import Path

from .build import passage_encoder
from .corpus import CorpusReport, repaired_units
from .encode.embedder import Embedder
from .loaded import default_index_dir
from .manifest import read_manifest
from .reports import preview
from .text.articles import split_articles
from .text.layout import classify, split_lines
from .text.normalise import tokenize


def warm_up(index_dir: str | Path | None = None, *, embedder: Embedder | None = None) -> None:
    """Load, once a process, what every add needs, so the first add is no slower than the next.

    The repair's libraries and jieba's POS tables, the readers of PDF and Word files, the model's weights hash
    and the build's ONNX session of the published index (embedding one passage). Measured before: the first
    add of a running app took 0.1-3.1 s longer than the next (eval/BENCH.md). Nothing is written.
    """
    index_dir = Path(index_dir) if index_dir else default_index_dir()
    for module in ("bm25s", "pdfplumber", "docx"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass  # that kind of report is refused with its own message
    sample = "工作报告\n\n全市新建职工之家12个，覆盖职工\n\n3.2万人，比上年增长5%。\n"
    preview(sample.encode(), "warm-up.txt")
    repaired_units(split_articles("warm-up.txt", classify(split_lines(sample))), CorpusReport())
    tokenize(sample)
    embedder = embedder or Embedder.load()
    try:
        block = read_manifest(index_dir)["model"]["onnx"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # no readable index: the first add builds one, and waits for what it needs
    if block and block.get("sha256"):
        passage_encoder(index_dir.resolve(), block, embedder).encode_passages([sample])
