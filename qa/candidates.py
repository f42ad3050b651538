"""Span candidates in a sentence: the phrases that could answer a question (figures, objects, lists, posts, tails)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.text.patterns import HAN

from . import spans as sp
from .question import ORDINAL, Question

# Fixed descriptions, each swept with the scorer refit leave-one-report-out like qa/features.py's constants.
# Longest "what follows the question's last term" candidate, in characters: 20, 30, 40 and 60 -> 0.863.
MAX_TAIL = 40
# A thesaurus word counts as this share of the question's own word: 0.3 -> 0.859, 0.6 and 1.0 -> 0.863. 词林's words
# alone at another share (session 8, world held out, 972 questions): 0.4 -> 0.878 / 0.956, 0.8 -> 0.874 / 0.956
# (accuracy / precision), against 0.877 / 0.956 at 0.6: no gain beyond one answer, so one share for both.
SYNONYM_FACTOR = 0.6
_LEAD = re.compile(r"^(?:的是|就是|主要是|即|是|为|指|要|以|有|包括|分别为|分别是|主要有|：|:)")
CLAUSE_MARK = re.compile(r"[，,；;。！？!?﹐﹔]")  # with the small forms some PDFs keep (﹔)


def term_surfaces(q: Question, terms: Sequence[str]) -> dict[str, tuple[str, float]]:
    """Each way a term may be written in a report (the term, then its thesaurus words) -> (term, factor)."""
    out: dict[str, tuple[str, float]] = {}
    for term in terms:
        out[term] = (term, 1.0)
    for term in terms:
        for word in q.synonyms.get(term, ()):
            out.setdefault(word, (term, SYNONYM_FACTOR))
    return out


def term_positions(
    sentence: str, surfaces: dict[str, tuple[str, float]]
) -> list[tuple[str, int, int, float]]:
    """(term, start, length, factor) of every occurrence of a term or one of its other words."""
    out = []
    lowered = sentence.lower()
    for word, (term, factor) in surfaces.items():
        start = lowered.find(word)
        while start >= 0:
            out.append((term, start, len(word), factor))
            start = lowered.find(word, start + 1)
    return out


def span_candidates(q: Question, sentence: str) -> list[sp.Span]:
    if q.ordinal_asked:
        # 第几次代表大会 is answered by which one (第六次), never by a count (八次) or a date
        found = _ordinal_figures(q, sentence)
        if q.kind in ("number", "date"):
            return found
    else:
        found = []
    return found + _spans_of_kind(q, sentence)


def _respective(sentence: str, found: list[sp.Span]) -> list[sp.Span]:
    """分别获得救助金3000元、2000元 for 分别获得多少: the figures the sentence gives one each, as one answer."""
    out = []
    for m in re.finditer("分别", sentence):
        run = []
        for c in sorted((c for c in found if c.start >= m.end()), key=lambda c: c.start):
            gap = sentence[run[-1].end : c.start] if run else sentence[m.end() : c.start]
            if run and gap not in ("、", "和", "及", "与"):
                break
            if not run and CLAUSE_MARK.search(gap):
                break
            run.append(c)
        if len(run) >= 2:
            start, end = run[0].start, run[-1].end
            out.append(sp.Span(start, end, sentence[start:end], "number", run[0].unit))
    return out


def _ordinal_figures(q: Question, sentence: str) -> list[sp.Span]:
    """The members of the series a 第几… question asks about, as the text numbers them: 第六次, 第三届."""
    return [
        sp.Span(m.start(), m.end(), m.group(), "ordinal", unit=m.group(2))
        for m in ORDINAL.finditer(sentence)
        # 次 counts any occasion (第几次办 -> 第十届); 届, 期, 批 name their own series
        if m.group(2) == q.ordinal_asked or q.ordinal_asked == "次"
    ]


def _spans_of_kind(q: Question, sentence: str) -> list[sp.Span]:
    if q.kind == "number":
        found = sp.numbers(sentence)
        return found + _respective(sentence, found) if "分别" in q.text else found
    if q.kind == "date":
        return sp.dates(sentence)
    if q.kind == "person":
        found = sp.people(sentence)
        if q.form.several:
            found += sp.name_lists(found, sentence)
        return found + _role_holders(q, sentence)
    if q.kind == "city":
        return sp.city_mentions(sentence)
    if q.kind == "place":
        found = (
            sp.organisations(sentence)
            + sp.places(sentence)
            + sp.quoted(sentence)
            + sp.headed(sentence, head_asked(q))
            + _role_holders(q, sentence)
        )
        if q.form.several:
            found += sp.enumerations(sentence)
        if q.form.where:
            found += sp.locatives(sentence)
        return found + _means(q, sentence)
    found: list[sp.Span] = []
    # 第三送 asks for an item (三送教育); 第十届运动会, 第四次代表大会 name which one of a series, not an item
    item = q.ordinal and not q.ordinal_asked and not ORDINAL.fullmatch("第" + "".join(q.ordinal))
    if item:  # first: a clause with the same text is the item, not any clause
        named = [n for n in q.quoted if n != "".join(q.ordinal)]
        found += [  # 第八送 of “八送暖心工程”: the item, not the programme's name
            c
            for c in sp.ordinal_items(sentence, *q.ordinal)
            if not any(sentence[c.start :].startswith(name) for name in named)
        ]
    lists = sp.enumerations(sentence)
    return found + (
        _means(q, sentence)
        + _posts(q, sentence)
        + _copula_objects(q, sentence)
        + _framed(q, sentence)
        + _verb_objects(q, sentence)
        + lists
        + _list_cuts(q, lists, sentence)
        + sp.quoted(sentence)
        + _tails(q, sentence)
        + sp.headed(sentence, head_asked(q))
        + sp.clauses(sentence)
        + sp.glosses(sentence)
    )


def head_asked(q: Question) -> str | None:
    """The noun an answer should be headed by; none for a counted one (哪三级, 哪两项 ask for the items)."""
    noun = q.asked_noun
    return None if noun and re.match(r"[一二两三四五六七八九十几]", noun) else noun


def _copula_objects(q: Question, sentence: str) -> list[sp.Span]:
    """最关键的是什么 -> what follows 最关键的是 in the text, to the end of its clause."""
    subject = q.copula
    if not subject:
        return []
    out = []
    for n in range(len(subject), 1, -1):
        for m in re.finditer(re.escape(subject[-n:]) + r"(?:的)?(?:是|为|即|指)", sentence):
            end = CLAUSE_MARK.search(sentence, m.end())
            stop = end.start() if end else len(sentence)
            if 2 <= stop - m.end() <= MAX_TAIL:
                out.append(sp.Span(m.end(), stop, sentence[m.end() : stop], "copula"))
        if out:
            break
    return out


_FRAME_ITEM = r"[^，,。；;：:]{2,40}?"


def _framed(q: Question, sentence: str) -> list[sp.Span]:
    """宗旨是什么 -> X of 以X为(办会)宗旨; 按照什么要求 -> X of 按照X的要求; 目标是什么 -> X of 向X的目标."""
    noun = q.frame
    if not noun:
        return []
    return sp.captured(
        sentence,
        (
            rf"以({_FRAME_ITEM})为{HAN}{{0,4}}?{noun}",
            rf"(?:按照|遵循|坚持|围绕|本着|朝着|向|按)({_FRAME_ITEM})的{HAN}{{0,4}}?{noun}",
            rf"{noun}(?:是|为|即)({_FRAME_ITEM})(?=[，,。；;]|$)",
        ),
        "role",
    )


def _means(q: Question, sentence: str) -> list[sp.Span]:
    """怎么发到…手里 -> X of 通过X的方式; 通过什么平台 -> X of 通过“X”平台; 以X的形式, 采取X的办法."""
    if not q.form.means:
        return []
    return sp.captured(
        sentence,
        (
            r"通过[“\"]?([^，,。；;、“”\"]{2,20}?)[”\"]?的?(?:方式|形式|途径|渠道|平台|办法)",
            r"(?:以|采取|采用)[“\"]?([^，,。；;、“”\"]{2,16}?)[”\"]?的?(?:方式|形式|办法)",
        ),
        "means",
    )


def _verb_objects(q: Question, sentence: str) -> list[sp.Span]:
    """设立的什么 -> what follows 设立 in the text, to the end of its clause."""
    if not q.verb:
        return []
    out = []
    for m in re.finditer(re.escape(q.verb), sentence):
        end = CLAUSE_MARK.search(sentence, m.end())
        stop = end.start() if end else len(sentence)
        text = sentence[m.end() : stop]
        lead = _LEAD.match(text)
        start = m.end() + (lead.end() if lead else 0)
        if 2 <= stop - start <= MAX_TAIL:
            out.append(sp.Span(start, stop, sentence[start:stop], "object"))
    return out


def _list_cuts(q: Question, spans: list[sp.Span], sentence: str) -> list[sp.Span]:
    """A list whose last item runs on into the question's words, cut before them: 全总、地方工会、基层工会|困难职工
    三级档案管理模式. Only when that item is over twice as long as any other (搞建设争上游 beside 干革命走前头 is an
    item, not an item and the question's words)."""
    terms = [t for t in q.terms if len(t) >= 2]
    out = []
    for c in spans:
        if c.kind != "list":
            continue
        last = max(c.text.rfind("、"), c.text.rfind("和"), c.text.rfind("及"))
        others = sp.list_items(c.text[:last]) if last > 0 else []
        if not others or len(c.text) - last - 1 <= 2 * max(map(len, others)):
            continue
        hits = [c.text.find(t, last + 1) for t in terms if c.text.find(t, last + 1) > last + 1]
        if hits:
            end = c.start + min(hits)
            out.append(sp.Span(c.start, end, sentence[c.start : end], "list", label=c.label))
    return out


def _posts(q: Question, sentence: str) -> list[sp.Span]:
    """还担任什么职务: each title before the name the question gives (衢州市人大常委会副主任、市总工会主席俞顺虎)."""
    if not q.form.post:
        return []
    out = []
    for person in sp.people(sentence):
        if person.text not in q.text:
            continue
        pos = max(sentence.rfind(ch, 0, person.start) for ch in "，,；;。：:") + 1
        chain = person.label or ""
        if "、" in chain and sentence[: person.start].endswith(chain):
            # 谭某担任什么职务 -> the whole chain of titles (党组书记、副主席), as well as each title of it
            out.append(sp.Span(person.start - len(chain), person.start, chain, "post"))
        for item in sentence[pos : person.start].split("、"):
            if len(item) >= 2:
                out.append(sp.Span(pos, pos + len(item), item, "post"))
            pos += len(item) + 1
    return out


def _role_holders(q: Question, sentence: str) -> list[sp.Span]:
    """组长由谁担任: whoever the sentence makes 组长 (以市委分管领导为组长)."""
    return sp.role_holders(sentence, q.role) if q.role else []


def _tails(q: Question, sentence: str) -> list[sp.Span]:
    """What follows the last question term in its clause: the object the question asks for."""
    out = []
    positions = term_positions(sentence, term_surfaces(q, [t for t in q.terms if len(t) > 1]))
    covered_to = -1
    for pos in sorted({p for _, p, _, _ in positions}):
        term_end = pos + max(n for _, p, n, _ in positions if p == pos)  # the longest term that starts here
        if term_end <= covered_to:
            continue
        covered_to = term_end
        clause_end = re.search(r"[，。；,;！？!?]", sentence[pos:])
        end = pos + (clause_end.start() if clause_end else len(sentence) - pos)
        text = sentence[term_end:end]
        lead = _LEAD.match(text)
        offset = lead.end() if lead else 0
        text = text[offset:].strip()
        if 2 <= len(text) <= MAX_TAIL and re.match(r"[\u4e00-\u9fff\d“《]", text):
            start = term_end + offset
            out.append(sp.Span(start, start + len(text), text, "tail"))
    return out
