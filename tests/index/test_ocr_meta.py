"""A passage read by OCR says so everywhere it is shown: `index show`, the API's citations and hits, 查看原文."""

from __future__ import annotations

from index.original import Original
from index.passage import Location, Passage
from index.summary import format_passage
from qa.types import Hit, citation, hit_dict
from web.view import render_original

SCANNED = Passage(
    id="scan-p003-0",
    source="scan.pdf",
    title="<b>职工书屋</b>",
    city=None,
    year=2020,
    paragraph=3,
    kind="paragraph",
    text="全市建成职工书屋136个。",
    parts=(Location("scan.pdf", 3, 40, 52),),
    ocr=True,
    page=2,
    ocr_confidence=87.4,
)
TYPED = Passage("typed-p001-0", "typed.pdf", "报告", None, 2020, 1, "paragraph", "全市建成职工书屋136个。")


def _hit(passage: Passage) -> Hit:
    return Hit(row=0, passage=passage, score=0.5, dense=0.5, keyword=None, legs=("dense",), matched=())


def test_index_show_says_a_passage_was_read_by_ocr():
    assert "read by OCR: page 2, mean confidence 87.4/100" in format_passage(SCANNED)
    assert "OCR" not in format_passage(TYPED)


def test_the_api_citation_and_hit_carry_ocr_page_and_confidence():
    cited = citation(1, _hit(SCANNED)).to_dict()
    assert (cited["ocr"], cited["page"], cited["ocr_confidence"]) == (True, 2, 87.4)
    assert hit_dict(1, _hit(SCANNED))["ocr"] is True
    typed = citation(1, _hit(TYPED)).to_dict()
    assert (typed["ocr"], typed["page"], typed["ocr_confidence"]) == (False, None, None)


def test_view_original_says_the_text_was_read_by_ocr_escaped():
    text = "# <b>职工书屋</b>\n\n开头<script>x</script>\n\n全市建成职工书屋136个。\n"
    start = text.index("全市")
    orig = Original("scan.pdf", "<b>职工书屋</b>", None, 2020, text, ((start, start + 12),), True, 2, 87.4)
    html = render_original(orig)
    assert "由 OCR 从扫描件或照片第2页识别，识别置信度 87/100" in html
    assert "<script>" not in html and "<b>" not in html
    plain = Original("typed.pdf", "报告", None, 2020, text, ())
    assert "OCR" not in render_original(plain)


def test_passages_written_before_ocr_metadata_still_load_as_text_passages():
    old = TYPED.to_dict()
    assert not {"ocr", "page", "ocr_confidence"} & set(old)
    loaded = Passage.from_dict(old)
    assert (loaded.ocr, loaded.page, loaded.ocr_confidence) == (False, None, None)
    assert Passage.from_dict(SCANNED.to_dict()) == SCANNED


def test_a_citation_of_an_ocr_passage_is_tagged():
    from web.view import render_citation

    assert "OCR识别 第2页" in render_citation(citation(1, _hit(SCANNED)))
    assert "OCR" not in render_citation(citation(1, _hit(TYPED)))
