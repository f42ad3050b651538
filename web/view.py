"""HTML for the web chat: answers, citations, variants and errors.

Everything that comes from a report or a person (passage text, titles, file names, the question) is
escaped with html.escape before it is wrapped in our own tags, so nothing from a document is ever
rendered as markup. The chat shows these strings with Markdown off (see app.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from html import escape

from index.original import Original
from qa.types import NOT_STATED, Answer, Citation, Item, Table, Variant

NOT_FOUND = "报告中没有找到这个问题的答案。"

# Marks inside a passage: 0 plain, 1 a query term, 2 the answer span (the answer wins).
_PLAIN, _TERM, _ANSWER = 0, 1, 2
_TAGS = {_TERM: '<mark class="qa-term">', _ANSWER: '<mark class="qa-ans">'}


# An absolute path (POSIX or Windows) in a message: shown to people as its last part only.
_PATH = re.compile(
    r"(?<![^\s'\"(（=:：,，])(?:[A-Za-z]:)?(?:[/\\][^\s/\\'\"，。：；、（）()<>]+)*[/\\]([^\s/\\'\"，。：；、（）()<>]+)"
)


def public(message: str) -> str:
    """A message as anyone may see it: absolute server paths cut to their last part (the log keeps them)."""
    return _PATH.sub(lambda m: m.group(1), message)


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape(str(value), quote=True)


def highlight(text: str, span: tuple[int, int] | list[int] | None = None, terms: Iterable[str] = ()) -> str:
    """Escape text and mark the answer span (<mark class="qa-ans">) and query terms (<mark class="qa-term">).

    Args:
        text: the passage as stored in the index.
        span: [start, end) of the answer inside text, or None; clamped to the text.
        terms: query terms to mark wherever they occur (empty strings are ignored).
    Returns:
        HTML in which only our own <mark> tags are markup.
    """
    marks = [_PLAIN] * len(text)
    for term in sorted({t for t in terms if t and t.strip()}, key=len, reverse=True):
        start = text.find(term)
        while start != -1:
            for i in range(start, start + len(term)):
                marks[i] = max(marks[i], _TERM)
            start = text.find(term, start + len(term))
    if span is not None and len(span) == 2:
        lo, hi = max(0, int(span[0])), min(len(text), int(span[1]))
        for i in range(lo, hi):
            marks[i] = _ANSWER
    out: list[str] = []
    for i, j, mark in _runs(marks):
        chunk = esc(text[i:j])
        out.append(f"{_TAGS[mark]}{chunk}</mark>" if mark else chunk)
    return "".join(out)


def _runs(marks: list[int]) -> Iterator[tuple[int, int, int]]:
    """(start, end, mark) of each run of equal marks, in order."""
    i = 0
    while i < len(marks):
        j = i
        while j < len(marks) and marks[j] == marks[i]:
            j += 1
        yield i, j, marks[i]
        i = j


def where(city: str | None, year: int | None, *, inferred: bool = False, evidence: str | None = None) -> str:
    """'南平 · 2013年' from whichever of city and year are known; an inferred year is marked 推断 with its evidence."""
    shown = f"{int(year)}年" if year else ""
    if shown and inferred:
        why = f"由报告文字推断：{evidence}" if evidence else "由报告标题或文字推断"
        shown = f'{shown}<span class="qa-inferred" title="{esc(why)}">（推断）</span>'
    parts = [esc(city) if city else "", shown]
    return " · ".join(p for p in parts if p)


def render_question(question: str) -> str:
    """The person's own message, shown as text."""
    return f'<div class="qa-q">{esc(question)}</div>'


def render_error(message: str) -> str:
    """A problem (empty or over-long question, index trouble) as a chat message."""
    return f'<div class="qa-error" role="alert">⚠️ {esc(message)}</div>'


def render_pending() -> str:
    """Shown while the answer is being looked up."""
    return '<div class="qa-pending">正在查找报告……</div>'


def _title(source: str, titles: Mapping[str, str]) -> str:
    title = titles.get(source)
    return f"《{esc(title)}》 " if title else ""


# Passages that are not body text say so: a photo caption, an article's byline card (index.text.bylines).
_KIND_TAGS = {"caption": "图片说明", "byline": "署名与日期"}


def render_citation(c: Citation, titles: Mapping[str, str] | None = None) -> str:
    """One numbered citation: title, city, year, file and paragraph, then the marked passage."""
    titles = titles or {}
    tag = _KIND_TAGS.get(c.kind)
    kind = f'<span class="qa-tag">{tag}</span>' if tag else ""
    if getattr(c, "ocr", False):
        page = f" 第{esc(c.page)}页" if c.page else ""
        kind += f'<span class="qa-tag" title="由 OCR 从扫描件或照片识别，文字可能有误">OCR识别{page}</span>'
    city = f"{c.city}（今{c.place_now}）" if c.city and c.place_now else c.city
    year = where(city, c.year, inferred=c.year_inferred, evidence=c.date_evidence)
    meta = " · ".join(p for p in (year, f"{esc(c.source)} 第{int(c.paragraph)}段") if p)
    head = (
        f'<div class="qa-cite-head"><span class="qa-num">[{int(c.rank)}]</span> '
        f'<span class="qa-title">《{esc(c.title)}》</span>{kind}'
        f'<div class="qa-meta">{meta}</div></div>'
    )
    body = f'<blockquote class="qa-passage">{highlight(c.text, c.span, c.matched)}</blockquote>'
    # VIEW_JS turns a click on it into the 查看原文 event; the id (in value: the chat's sanitiser drops data-*) is escaped.
    view = f'<button type="button" class="qa-view" value="{esc(c.passage_id)}">查看原文</button>'
    also = ""
    if c.also_in:
        places = "；".join(
            f"{_title(str(a.get('source', '')), titles)}{esc(a.get('source', ''))} 第{esc(a.get('paragraph', '?'))}段"
            for a in c.also_in
        )
        also = f'<div class="qa-also">这段文字也出现在：{places}</div>'
    return f'<li class="qa-cite">{head}{body}{view}{also}</li>'


def render_variants(variants: Iterable[Variant]) -> str:
    """Each value with its report, when reports of the same city disagree."""
    items = "".join(
        f'<li><strong class="qa-variant-value">{esc(v.answer)}</strong> — 《{esc(v.title)}》'
        f' <span class="qa-meta">{" · ".join(p for p in (where(v.city, v.year), esc(v.source)) if p)}</span></li>'
        for v in variants
    )
    if not items:
        return ""
    return f'<div class="qa-variants"><div class="qa-label">各报告的说法不一致：</div><ul>{items}</ul></div>'


_MODES = {
    "compare": "各地对比",
    "places": "各地分别",
    "superlative": "排序",
    "series": "历年",
    "growth": "变化",
}


def _view_button(passage_id: str | None) -> str:
    """A 查看原文 button as a citation has (VIEW_JS opens the passage whose id is its value)."""
    if not passage_id:
        return ""
    return f'<button type="button" class="qa-view" value="{esc(passage_id)}">查看原文</button>'


def render_table(table: Table | None) -> str:
    """A question across reports: one row per report (地区, 年份, the figure, 查看原文), places that do not say it."""
    if table is None or not table.rows:
        return ""
    head = "".join(f"<th>{h}</th>" for h in (esc(table.label or "地区"), "年份", esc(table.measure), "出处"))
    rows = []
    for r in table.rows:
        figure = esc(r.answer) if r.answer is not None else f'<span class="qa-meta">{NOT_STATED}</span>'
        year = f"{int(r.year)}年" if r.year else "—"
        rows.append(
            f'<tr class="qa-row"><td>{esc(r.place)}</td><td>{year}</td>'
            f'<td class="qa-figure">{figure}</td><td>{_view_button(r.passage_id)}</td></tr>'
        )
    caption = f'<div class="qa-label">{_MODES.get(table.mode, "")}：{esc(table.measure)}</div>'
    return (
        f'<div class="qa-table-wrap">{caption}<table class="qa-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def render_items(items: Iterable[Item]) -> str:
    """Every item of a list answer, each with its 查看原文."""
    items = list(items)
    if not items:
        return ""
    lis = "".join(
        f'<li><span class="qa-item">{esc(i.text)}</span> {_view_button(i.passage_id)}</li>' for i in items
    )
    return f'<div class="qa-label">共{len(items)}项</div><ol class="qa-items">{lis}</ol>'


def render_answer(ans: Answer, titles: Mapping[str, str] | None = None, seconds: float | None = None) -> str:
    """The whole reply: the short answer first, then variants, notes and numbered citations."""
    parts: list[str] = []
    if ans.answer:
        parts.append(
            f'<div class="qa-answer"><span class="qa-label">答案</span>'
            f'<strong class="qa-answer-text">{esc(ans.answer)}</strong></div>'
        )
        if ans.sentence and ans.table is None:  # a table's rows each carry their own 查看原文
            start = ans.sentence.find(ans.answer)
            span = (start, start + len(ans.answer)) if start >= 0 else None
            parts.append(f'<div class="qa-sentence">原文：{highlight(ans.sentence, span)}</div>')
    else:
        parts.append(f'<div class="qa-answer qa-none">{NOT_FOUND}</div>')
    parts.append(render_table(ans.table))
    parts.append(render_items(ans.items))
    parts.append(render_variants(ans.variants))
    if ans.notes:
        notes = "".join(f"<li>{esc(n)}</li>" for n in ans.notes)
        parts.append(f'<ul class="qa-notes">{notes}</ul>')
    if ans.citations:
        label = "出处" if ans.answer else "最相关的段落（供参考）"
        cites = "".join(render_citation(c, titles) for c in ans.citations)
        parts.append(f'<div class="qa-label">{label}</div><ol class="qa-cites">{cites}</ol>')
    if seconds is not None:
        parts.append(f'<div class="qa-time">用时 {seconds:.2f} 秒</div>')
    return f'<div class="qa-reply">{"".join(p for p in parts if p)}</div>'


# Markdown marks the readers write (headings of Word files, bold lines): hidden in 查看原文, text kept.
_MD_MARKS = re.compile(r"^#{1,6}[ \t]*|^\*\*(?=.+\*\*[ \t]*$)|(?<=\S)\*\*(?=[ \t]*$)", re.M)


def _ocr_note(orig: Original) -> str:
    """A line saying the cited passage was read by OCR from a scan or photo (page, confidence); else nothing."""
    if not getattr(orig, "ocr", False):
        return ""
    page = f"第{esc(orig.page)}页" if orig.page else ""
    confidence = (
        f"，识别置信度 {esc(f'{orig.ocr_confidence:.0f}')}/100" if orig.ocr_confidence is not None else ""
    )
    return (
        f'<div class="qa-ocr">引用的段落由 OCR 从扫描件或照片{page}识别{confidence}，'
        "文字可能有误，请以原件为准</div>"
    )


def render_original(orig: Original) -> str:
    """A whole report as escaped text, the cited passage's paragraphs in <mark class="qa-orig-hit">."""
    text = orig.text
    state = [_PLAIN] * len(text)  # _PLAIN, _ANSWER (the cited passage) or -1 (a markdown mark, not shown)
    for start, end in orig.marks:
        for i in range(max(0, start), min(len(text), end)):
            state[i] = _ANSWER
    for m in _MD_MARKS.finditer(text):
        for i in range(m.start(), m.end()):
            state[i] = -1
    out: list[str] = []
    for i, j, mark in _runs(state):
        if mark == _ANSWER:
            out.append(f'<mark class="qa-orig-hit">{esc(text[i:j])}</mark>')
        elif mark == _PLAIN:
            out.append(esc(text[i:j]))
    meta = " · ".join(p for p in (where(orig.city, orig.year), esc(orig.source)) if p)
    return (
        f'<div class="qa-orig"><div class="qa-orig-head"><span class="qa-title">《{esc(orig.title)}》</span>'
        f'<div class="qa-meta">{meta} · 全文，引用的段落已标出</div>{_ocr_note(orig)}</div>'
        f'<div class="qa-orig-text">{"".join(out)}</div></div>'
    )


# Run once when the page loads (mount_gradio_app(js=...)): a click on a citation's 查看原文 button asks the
# server for that report through the hidden #view-go button; SCROLL_TO_ORIGINAL then brings the mark into view.
VIEW_JS = """() => {
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('.qa-view');
    if (!button) return;
    event.preventDefault();
    window.qaViewPassage = button.getAttribute('value') || '';
    document.querySelectorAll('#original mark.qa-orig-hit').forEach((m) => m.classList.remove('qa-orig-hit'));
    const go = document.querySelector('#view-go');
    if (go) go.click();
  });
}"""
# The reply is rendered a moment after the event ends: wait for the new mark (VIEW_JS removed the old ones).
SCROLL_TO_ORIGINAL = """() => {
  let tries = 0;
  const show = () => {
    const hit = document.querySelector('#original mark.qa-orig-hit');
    if (!hit) { if (tries++ < 100) setTimeout(show, 50); return; }
    hit.scrollIntoView({block: 'center', behavior: 'instant'});
  };
  show();
}"""

CSS = """
.qa-reply, .qa-q, .qa-error { overflow-wrap: anywhere; word-break: break-word; line-height: 1.6; }
.qa-answer { font-size: 1.15em; margin-bottom: .3em; }
.qa-answer-text { font-size: 1.2em; }
.qa-none { font-weight: 600; }
.qa-label { display: inline-block; font-size: .85em; opacity: .75; margin: .4em .5em .2em 0; }
.qa-sentence { font-size: .95em; margin-bottom: .4em; }
.qa-cites { padding-left: 0; margin: 0; list-style: none; }
.qa-cite { margin: .5em 0 .8em; }
.qa-cite-head { font-size: .95em; }
.qa-num { font-weight: 600; }
.qa-title { font-weight: 600; }
.qa-meta { font-size: .85em; opacity: .75; }
.qa-tag { white-space: nowrap; font-size: .75em; border: 1px solid currentColor; border-radius: 4px; padding: 0 .3em; margin-left: .3em; }
.qa-passage { margin: .3em 0; padding: .3em .6em; border-left: 3px solid #d0d0d0; font-size: .92em; white-space: pre-wrap; }
mark.qa-ans { background: #ffe066; color: inherit; padding: 0 1px; font-weight: 600; }
mark.qa-term { background: transparent; color: inherit; border-bottom: 2px solid #f0a030; }
.qa-also { font-size: .85em; opacity: .8; }
.qa-ocr { font-size: .85em; margin: .2em 0; color: #8a5a00; }
.qa-variants ul, .qa-notes { margin: .2em 0 .5em; padding-left: 1.2em; }
.qa-notes { font-size: .9em; opacity: .85; }
.qa-error { color: #b3261e; font-weight: 600; }
.qa-pending, .qa-time { font-size: .85em; opacity: .7; }
.qa-view { font-size: .85em; margin: 0 0 .3em; padding: .1em .6em; border: 1px solid #c0c0c0; border-radius: 4px; background: transparent; color: inherit; cursor: pointer; }
.qa-orig-text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.7; max-height: 60vh; overflow-y: auto; padding: .5em .8em; border: 1px solid #e0e0e0; border-radius: 6px; }
mark.qa-orig-hit { background: #ffe066; color: inherit; }
.qa-table-wrap { overflow-x: auto; margin: .3em 0 .6em; }
.qa-table { border-collapse: collapse; font-size: .95em; }
.qa-table th, .qa-table td { border: 1px solid #d0d0d0; padding: .2em .6em; text-align: left; }
.qa-table .qa-figure { font-weight: 600; white-space: nowrap; }
.qa-table .qa-view { margin: 0; }
.qa-items { margin: .2em 0 .6em; padding-left: 1.4em; }
.qa-item { font-weight: 600; }
@media (max-width: 640px) {
  .qa-passage { padding: .2em .4em; font-size: .9em; }
  .qa-answer-text { font-size: 1.1em; }
}
"""
