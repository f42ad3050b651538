"""Adding a scanned 10-page PDF and a phone photo of a page from the command line, with real Tesseract and the
real model: progress page N of M while OCR reads, then questions answered from what it read."""

from __future__ import annotations

import pytest
from sample_reports import REPORT_A

from index.__main__ import main
from index.build import build_index
from tests import documents as docs

pytestmark = pytest.mark.skipif(docs.cjk_font_file() is None, reason="no Chinese font to print test pages")


def test_a_scanned_pdf_and_a_phone_photo_added_from_the_command_line_are_answered(tmp_path, embedder, capsys):
    from qa import Assistant

    seeds, index_dir = tmp_path / "seeds", tmp_path / "idx"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    scan = docs.scanned_report(tmp_path / "福鼎市总工会工作报告.pdf", pages=10)
    photo = docs.photo_of_a_page(tmp_path / "霞浦工作报告.jpg")

    where = ["--seeds", str(seeds), "--index-dir", str(index_dir)]
    assert main(["add", str(scan), *where]) == 0
    err = capsys.readouterr().err
    # Page N of M while the scan is read: every page through OCR, then the passages embedded.
    assert "福鼎市总工会工作报告.pdf: OCR page 1 of 10" in err and "OCR page 10 of 10" in err
    assert " passages embedded" in err
    assert main(["add", str(photo), *where]) == 0
    assert "霞浦工作报告.jpg: OCR page 1 of 1" in capsys.readouterr().err

    assistant = Assistant.load(index_dir, embedder=embedder)
    scanned = assistant.ask(docs.SCAN_QUESTION)
    assert scanned.answer == docs.SCAN_ANSWER, scanned
    cited = scanned.citations[0]
    assert cited.source == scan.name and cited.ocr and cited.page == 7
    photographed = assistant.ask(docs.PHOTO_QUESTION)
    assert photographed.answer == docs.PHOTO_ANSWER, photographed
    assert photographed.citations[0].source == photo.name and photographed.citations[0].ocr
