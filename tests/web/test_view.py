"""The chat's HTML: escaping, answer and term marks, citations, variants, notes (hand-built answers)."""

from __future__ import annotations

import re

from qa.types import Answer, Citation, Variant
from web.view import NOT_FOUND, highlight, render_answer, render_citation, render_error, render_question

XSS = '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">点我</a> [链接](javascript:alert(3))'
NANPING = "目前，全市已建基层工会14690家，组建率、职工会率均达95%以上。"


def citation(text: str = NANPING, **fields) -> Citation:
    start = text.find("95%以上")
    base = {
        "rank": 1,
        "passage_id": "p1",
        "source": "001_7f7e28910d8affd7.txt",
        "title": "在挑战中求创新促发展",
        "city": "南平",
        "year": 2013,
        "paragraph": 12,
        "text": text,
        "score": 0.9,
        "span": (start, start + 5) if start >= 0 else None,
        "matched": ("组建率",),
    }
    base.update(fields)
    return Citation(**base)


def tags(html: str) -> set[str]:
    return set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))


ALLOWED = {"div", "span", "strong", "mark", "blockquote", "ol", "ul", "li", "button"}


def test_highlight_marks_answer_and_terms():
    html = highlight(NANPING, (NANPING.find("95%以上"), NANPING.find("95%以上") + 5), ["组建率"])
    assert '<mark class="qa-ans">95%以上</mark>' in html
    assert '<mark class="qa-term">组建率</mark>' in html
    assert re.sub(r"<[^>]+>", "", html) == NANPING


def test_highlight_answer_wins_over_overlapping_term_and_span_is_clamped():
    text = "组建率达95%以上"
    html = highlight(text, (4, 999), ["95%", "组建"])
    assert html == '<mark class="qa-term">组建</mark>率达<mark class="qa-ans">95%以上</mark>'
    assert highlight(text, None, ["", "  "]) == text


def test_highlight_escapes_report_markup():
    html = highlight(XSS, (0, 4), ["img", "javascript"])
    assert tags(html) == {"mark"}
    text = re.sub(r"</?mark[^>]*>", "", html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;" in text


def test_citation_shows_title_city_year_file_paragraph_and_also_in():
    c = citation(also_in=({"source": "000_4ac7a8c231dd8c6f.txt", "paragraph": 3, "start": 0, "end": 9},))
    html = render_citation(c, {"000_4ac7a8c231dd8c6f.txt": "同心促发展 共筑中国梦"})
    for piece in ("[1]", "《在挑战中求创新促发展》", "南平", "2013年", "001_7f7e28910d8affd7.txt 第12段"):
        assert piece in html
    assert "这段文字也出现在：《同心促发展 共筑中国梦》 000_4ac7a8c231dd8c6f.txt 第3段" in html
    assert "图片说明" in render_citation(citation(kind="caption"))
    assert "署名与日期" in render_citation(citation(kind="byline"))


def test_answer_first_then_numbered_citations():
    ans = Answer(
        question="南平工会组建率是多少",
        answer="95%以上",
        sentence="组建率、职工会率均达95%以上。",
        citations=(citation(), citation(rank=2, paragraph=13)),
        city="南平",
    )
    html = render_answer(ans, seconds=0.123)
    assert html.index("95%以上") < html.index("[1]") < html.index("[2]")
    assert '<strong class="qa-answer-text">95%以上</strong>' in html
    assert "用时 0.12 秒" in html
    assert NOT_FOUND not in html


def test_no_answer_says_so_and_keeps_passages_for_reference():
    ans = Answer(
        question="厦门工会组建率是多少",
        answer=None,
        sentence=None,
        citations=(citation(span=None),),
        notes=("报告中没有覆盖厦门",),
    )
    html = render_answer(ans)
    assert NOT_FOUND in html and "报告中没有覆盖厦门" in html and "最相关的段落" in html
    assert '<mark class="qa-ans">' not in html


def test_variants_show_each_value_with_its_report():
    variants = (
        Variant("1.13万户", "003_ce70337460866ed9.txt", "倾力赋能改革创新", "漳州", 2017, "p3"),
        Variant("1.1万多户", "000_4ac7a8c231dd8c6f.txt", "同心促发展 共筑中国梦", "漳州", 2012, "p1"),
    )
    ans = Answer("漳州走访慰问困难职工家庭多少户", "1.13万户", None, variants=variants, city="漳州")
    html = render_answer(ans)
    assert "说法不一致" in html
    for v in variants:
        assert v.answer in html and f"《{v.title}》" in html and v.source in html and f"{v.year}年" in html


def test_everything_from_reports_and_people_is_escaped():
    evil = Citation(
        rank=1,
        passage_id="x",
        source="<script>alert(1)</script>.txt",
        title='"><img src=x onerror=alert(1)>',
        city="<b>厦门</b>",
        year=2019,
        paragraph=1,
        text=XSS,
        score=1.0,
        span=(0, 5),
        matched=("<a",),
        also_in=({"source": "<svg onload=alert(1)>", "paragraph": "<i>2</i>"},),
    )
    ans = Answer(
        question=XSS,
        answer="<img src=x onerror=alert(1)>",
        sentence=XSS,
        citations=(evil,),
        variants=(Variant("<i>1</i>", "<u>s</u>", "<em>t</em>", "<b>c</b>", 2019, "x"),),
        notes=("<script>alert(1)</script>",),
    )
    html = render_answer(ans, {"<svg onload=alert(1)>": "<iframe src=javascript:alert(1)>"})
    assert tags(html) <= ALLOWED, tags(html) - ALLOWED
    assert "<img" not in html and "<script" not in html and "<svg" not in html and "<iframe" not in html
    assert 'href="javascript' not in html
    for piece in (render_question(XSS), render_error(XSS)):
        assert tags(piece) <= {"div"} and "&lt;img src=x onerror=alert(1)&gt;" in piece


def test_the_feedback_list_shows_markup_as_text():
    from qa.feedback import Correction, Feedback
    from web.feedback import render_entries

    entry = Feedback(1, 0.0, "<u>ann</u>", "<script>alert(1)</script>", "<img src=x>", (), "down",
                     Correction("<b>1</b>", "<a href=x>p</a>"), "v")  # fmt: skip
    page = render_entries([entry])
    for raw in ("<script>", "<img", "<b>", "<a ", "<u>"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;1&lt;/b&gt;" in page
