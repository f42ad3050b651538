"""The OCR comparison's arithmetic: character error rates on all text and on figures (eval/ocr.py)."""

from __future__ import annotations

from eval.ocr import edit_distance, page_text, score


def test_edit_distance_counts_insertions_deletions_and_substitutions():
    assert edit_distance("工会组建率", "工会组建率") == 0
    assert edit_distance("干部", "千部") == 1
    assert edit_distance("职工书屋136个", "职工书屋36个") == 1
    assert edit_distance("", "三明") == 2


def test_score_separates_text_errors_from_figure_errors():
    truth = "全市新建职工书屋136个，资助困难职工子女712名。"
    read = "全市新建职工书屋186个，资助困难职工子女712名"  # 3 read as 8, the full stop lost
    got = score(read, truth)
    assert (got["errors"], got["figure errors"], got["figures"], got["figures intact"]) == (2, 1, 2, 1)
    assert score(truth.replace("，", ","), truth)["errors"] == 0  # NFKC: the same comma


def test_a_page_of_text_fills_the_page_and_names_its_place():
    page = page_text("永安市", seed=11)
    assert 800 < sum(len(p) for p in page) < 1800 and any("永安市" in p for p in page)
