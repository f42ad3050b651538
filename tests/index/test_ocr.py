"""OCR of photos and scanned PDF pages with Tesseract, on pages the tests print, turn and blur themselves."""

from __future__ import annotations

import difflib
import re
import time

import pytest

from index.errors import ReportReadError
from index.progress import reporting
from index.readers.read import read_report
from tests import documents as docs

pytestmark = pytest.mark.skipif(docs.cjk_font_file() is None, reason="no Chinese font to print test pages")
BODY = list(docs.PARAGRAPHS)
FIGURES = ["136个", "28.6万册次", "712名", "213万元", "418场次", "76%"]


def _flat(text: str) -> str:
    return re.sub(r"\s+|^#+", "", text, flags=re.M)


def _accuracy(read: str, truth: str) -> float:
    return difflib.SequenceMatcher(None, _flat(read), _flat(truth), autojunk=False).ratio()


def test_a_phone_photo_of_a_page_is_read_by_ocr(tmp_path):
    photo = tmp_path / "page.jpg"
    docs.page_image(BODY, rotate=0.7, blur=0.8, jpeg=70).save(photo)
    text = read_report(photo)
    assert _accuracy(text, "".join(BODY)) >= 0.95
    assert sum(1 for f in FIGURES if f in _flat(text)) >= 5


def test_a_phone_photo_a_chat_app_shrank_is_read(tmp_path):
    photo = docs.phone_photo(docs.page_image(BODY, rotate=0, blur=0))
    scale = 1280 / max(photo.size)  # characters about 18 px high
    photo.resize((round(photo.width * scale), round(photo.height * scale))).save(tmp_path / "chat.jpg")
    text = read_report(tmp_path / "chat.jpg")
    assert _accuracy(text, "".join(BODY)) >= 0.95
    assert sum(1 for f in FIGURES if f in _flat(text)) >= 5


def test_a_scanned_pdf_is_read_by_ocr_and_a_typed_page_directly(tmp_path):
    pdf = docs.make_scanned_text_pdf(tmp_path / "scan.pdf", [BODY[1:3], BODY[3:]], typed_first=True)
    steps = []
    started = time.perf_counter()
    with reporting(lambda *step: steps.append(step)):
        text = read_report(pdf)
    first = time.perf_counter() - started
    # Page N of M as the pages are read, then each OCR'd page.
    assert steps == [
        (*s, "scan.pdf")
        for s in [("page", 1, 3), ("page", 2, 3), ("page", 3, 3), ("ocr", 1, 2), ("ocr", 2, 2)]
    ]
    started = time.perf_counter()
    assert read_report(pdf) == text  # an add reads a file twice (preview, build): OCR runs once
    assert time.perf_counter() - started < first / 4
    lines = [line for line in text.split("\n") if line.strip()]
    assert lines[:2] == [f"# {docs.TITLE}", BODY[0]]  # the typed page, read from its text layer
    assert _accuracy("".join(lines[2:]), "".join(BODY[1:])) >= 0.95


def test_pages_where_ocr_finds_no_text_are_refused(tmp_path):
    with pytest.raises(ReportReadError, match="OCR found no text"):
        read_report(docs.make_scanned_pdf(tmp_path / "bars.pdf"))
    with pytest.raises(ReportReadError, match=r"OCR found no text on 2 of its 3 pages \(pages 2, 3\)"):
        read_report(docs.make_scanned_pdf(tmp_path / "mixed.pdf", text_cover=True))
    blank = tmp_path / "blank.png"
    docs.page_image([]).save(blank)
    with pytest.raises(ReportReadError, match="OCR found no text"):
        read_report(blank)


def test_passages_read_by_ocr_carry_ocr_their_page_and_the_confidence(tmp_path):
    from index.corpus import build_passages
    from index.passage import Passage

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    docs.make_scanned_text_pdf(seeds / "scan.pdf", [BODY[1:3], BODY[3:]], typed_first=True)
    passages, report = build_passages(seeds)
    typed = [p for p in passages if not p.ocr]
    read = [p for p in passages if p.ocr]
    assert any(BODY[0][:10] in p.text for p in typed)  # the typed page is not marked
    assert read and {p.page for p in read} == {2, 3}
    assert all(0 < p.ocr_confidence <= 100 for p in read)
    assert "ocr" not in typed[0].to_dict()  # passages read from text are written as before
    again = Passage.from_dict(read[0].to_dict())
    assert (again.ocr, again.page, again.ocr_confidence) == (True, read[0].page, read[0].ocr_confidence)


def test_passages_of_a_photo_carry_ocr_and_page_one(tmp_path):
    from index.corpus import build_passages

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    docs.page_image(BODY, rotate=0.7, blur=0.8, jpeg=70).save(seeds / "photo.jpg")
    passages, _ = build_passages(seeds)
    body = [p for p in passages if p.kind == "paragraph"]
    assert body and all(p.ocr and p.page == 1 and 0 < p.ocr_confidence <= 100 for p in body)
