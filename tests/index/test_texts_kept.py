"""A build keeps the text it read of each report (texts.jsonl, by the file's sha256): the next build, in another
process too, reads and OCRs only the files that changed, and its passages are the same."""

from __future__ import annotations

import pytest
from sample_reports import REPORT_A, REPORT_B

import index.corpus
from index.build import TEXTS_FILE, build_index
from index.kept import Kept
from index.loaded import Index
from tests import documents as docs

pytestmark = pytest.mark.skipif(docs.cjk_font_file() is None, reason="no Chinese font to print test pages")


def test_a_build_reads_only_the_reports_that_changed(tmp_path, embedder, monkeypatch):
    from index.readers import ocr, read

    seeds, index_dir = tmp_path / "seeds", tmp_path / "idx"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    docs.make_scanned_text_pdf(
        seeds / "scan.pdf", [docs.PARAGRAPHS[1:3], docs.PARAGRAPHS[3:]], typed_first=True
    )
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    before = {p.id: p for p in Index.load(index_dir).passages}
    assert (index_dir / TEXTS_FILE).is_file() and TEXTS_FILE in Index.load(index_dir).manifest["files"]

    # As a new process would: nothing kept in memory (the texts read, the pages OCR read).
    monkeypatch.setattr(read, "_READ", Kept(8))
    monkeypatch.setattr(ocr, "_CACHE", Kept(ocr.CACHE_PAGES))
    read_now: list[str] = []
    real = index.corpus.report_text
    monkeypatch.setattr(
        index.corpus, "report_text", lambda data, name: read_now.append(name) or real(data, name)
    )
    (seeds / "b.txt").write_text(REPORT_B, encoding="utf-8")
    summary = build_index(seeds, index_dir, embedder=embedder, quiet=True)
    assert read_now == ["b.txt"]  # the scan is not OCR'd again, nor a.txt read
    after = {p.id: p for p in Index.load(index_dir).passages}
    assert {k: v for k, v in after.items() if not k.startswith("b-")} == before
    assert any(p.ocr and p.page == 2 for p in after.values())  # OCR's marks come back with the kept text
    assert summary.embedded == sum(1 for k in after if k.startswith("b-"))

    # A changed file is read again.
    (seeds / "a.txt").write_text(REPORT_A.replace("。", "。\n", 1), encoding="utf-8")
    read_now.clear()
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    assert read_now == ["a.txt"]
