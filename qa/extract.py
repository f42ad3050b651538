"""Extractive answers: pick the sentence among the top passages that answers the question, then the span in it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.split import sentence_spans

from . import spans as sp
from .question import Question
from .retriever import Hit

TOP_PASSAGES = 5
PROXIMITY_SCALE = 6.0  # characters over which a term's pull on a candidate halves
MAX_TAIL = 40
_LIST_WANTED = re.compile(r"哪些|哪几|哪两|哪三|哪四|哪五|哪六|哪七|哪八|分别|几项|几个方面|包括")
_LEAD = re.compile(r"^(?:即|是|为|指|要|以|有|包括|分别为|分别是|主要有|：|:)")
_SUB_KIND_HINTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"学校|学院|院校|大学"), ("学院", "大学", "学校")),
    (re.compile(r"村"), ("村",)),
    (re.compile(r"公司|企业"), ("公司", "集团")),
    (re.compile(r"平台"), ("平台",)),
    (re.compile(r"总工会|工会"), ("工会",)),
)


@dataclass(frozen=True)
class Extraction:
    """The chosen answer: the hit it comes from, the sentence, and the span inside the passage text."""

    hit: int  # index into the hits
    sentence: str
    start: int  # answer span in the passage text
    end: int
    text: str
    score: float
    coverage: float  # share of the question's weighted terms found in the sentence's passage


SYNONYM_FACTOR = 0.6  # a thesaurus word is weaker evidence than the question's own word


def _surfaces(q: Question, terms: Sequence[str]) -> dict[str, tuple[str, float]]:
    """Each way a term may be written in a report (the term, then its thesaurus words) -> (term, factor)."""
    out: dict[str, tuple[str, float]] = {}
    for term in terms:
        out[term] = (term, 1.0)
    for term in terms:
        for word in q.synonyms.get(term, ()):
            out.setdefault(word, (term, SYNONYM_FACTOR))
    return out


def _term_positions(
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


def _covered(positions_or_words, weight: Callable[[str], float]) -> float:
    """Weighted count of the question terms found, each once, at its strongest factor."""
    best: dict[str, float] = {}
    for term, factor in positions_or_words:
        best[term] = max(best.get(term, 0.0), factor)
    return sum(weight(t) * f for t, f in best.items())


# How much farther a term after the candidate counts than one before it: a figure follows what it measures
# (组建率达95%), a date precedes the event (2004年在全市铺开).
AFTER_FACTOR = {"number": 1.5, "date": 0.8, "person": 1.5, "place": 1.0, "definition": 1.2, "city": 1.0}
CLAUSE_PENALTY = 12.0  # extra distance for a term in another clause than the candidate
_CLAUSE_MARK = re.compile(r"[，,；;。！？!?]")


def _proximity(
    candidate: sp.Span,
    positions: list[tuple[str, int, int, float]],
    weight: Callable[[str], float],
    sentence: str,
    kind: str,
) -> float:
    best: dict[str, float] = {}
    for term, pos, length, factor in positions:
        end = pos + length
        if candidate.start <= pos < candidate.end:
            continue  # the term is inside the candidate: it names the thing, it does not point at it
        if end <= candidate.start:
            gap = sentence[end : candidate.start]
            distance = candidate.start - end
        else:
            gap = sentence[candidate.end : pos]
            distance = AFTER_FACTOR.get(kind, 1.2) * (pos - candidate.end)
        distance += CLAUSE_PENALTY * len(_CLAUSE_MARK.findall(gap))
        pull = factor * weight(term) / (1.0 + max(0.0, distance) / PROXIMITY_SCALE)
        best[term] = max(best.get(term, 0.0), pull)
    return sum(best.values())


_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_COUNTED_TERM = re.compile(r"([一二两三四五六七八九十])(?:大|项|个|级|种|条|化|心|勤|比|送|法宝|免|提|进)")
_ORDINAL = re.compile(r"第([一二三四五六七八九十])([\u4e00-\u9fff])")
_PER_UNIT = re.compile(r"每人|每年|每月|每户|每个|每次|每天|每周|人均|户均")
_QUOTED_IN_Q = re.compile(r"[“\"《]([^”\"》]{2,20})[”\"》]")


def _counted_fit(q: Question, sentence: str, c: sp.Span) -> float:
    """A figure counts the noun next to it: 23408人 after 困难职工 counts them; 2009名困难职工子女 counts 子女."""
    if q.kind != "number" or not q.counted:
        return 0.0
    noun = q.counted
    after = sentence[c.end : c.end + len(noun) + 2]
    before = re.sub(r"(?:达到|达|为|有|共|计|约)$", "", sentence[max(0, c.start - len(noun) - 2) : c.start])
    if after.startswith(noun):
        rest = after[len(noun) :]
        return (
            -0.15 if rest and re.match(r"[\u4e00-\u9fff]", rest) and rest[0] not in "的和与及等在" else 0.15
        )
    if before.endswith(noun):
        return 0.15
    return 0.0


def list_size(q: Question) -> int | None:
    """How many items a question about a numbered term expects: 五勤 -> 5, 三法宝 -> 3, 六比 -> 6."""
    match = _COUNTED_TERM.search(q.text)
    return _CN_DIGITS[match.group(1)] if match else None


def _candidates(q: Question, sentence: str) -> list[sp.Span]:
    if q.kind == "number":
        return [c for c in sp.numbers(sentence) if sp.units_compatible(q.unit, c.unit)]
    if q.kind == "date":
        return sp.dates(sentence)
    if q.kind == "person":
        return sp.people(sentence)
    if q.kind == "city":
        return sp.city_mentions(sentence)
    if q.kind == "place":
        found = sp.organisations(sentence) + sp.quoted(sentence)
        if _LIST_WANTED.search(q.text):
            found += sp.enumerations(sentence)
        return found
    found = sp.enumerations(sentence) + sp.quoted(sentence) + _tails(q, sentence)
    ordinal = _ORDINAL.search(q.text)
    if ordinal:
        named = _QUOTED_IN_Q.findall(q.text)  # 第八送 of “八送暖心工程”: the item, not the programme's name
        found += [
            c
            for c in sp.ordinal_items(sentence, ordinal.group(1), ordinal.group(2))
            if not any(name in sentence[c.start :] and sentence[c.start :].startswith(name) for name in named)
        ]
    return found


def _tails(q: Question, sentence: str) -> list[sp.Span]:
    """What follows the last question term in its clause: the object the question asks for."""
    out = []
    positions = _term_positions(sentence, _surfaces(q, [t for t in q.terms if len(t) > 1]))
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


def _type_bonus(q: Question, c: sp.Span) -> float:
    bonus = 0.0
    if q.kind == "number" and q.unit and c.unit == q.unit:
        bonus += 0.15
    if q.kind == "number" and c.unit is None and q.unit != "#":
        bonus -= 0.3
    if q.kind == "person" and c.label:
        titles = c.label.split("、")
        asked = [t for t in titles if t in q.text]
        if asked:
            bonus += 0.6 + 0.1 * max(len(t) for t in asked)
        elif all("副" in t for t in titles) and "副" not in q.text:
            bonus -= 0.5
    if q.kind == "place":
        for pattern, suffixes in _SUB_KIND_HINTS:
            if pattern.search(q.text) and c.text.rstrip("”》").endswith(suffixes):
                bonus += 0.6
        if c.kind == "place" and re.search(r"哪里|在哪|何地|什么地方", q.text):
            bonus += 0.6
        if c.kind == "list" and _LIST_WANTED.search(q.text):
            bonus += 0.6
        if re.search(r"称号|荣誉|评为", q.text) and c.kind in ("honor", "quote"):
            bonus += 0.5
        if re.search(r"文件|意见|办法|通知|方案", q.text) and c.text.startswith("《"):
            bonus += 0.8
    if q.kind == "definition":
        if c.kind == "list":
            bonus += 0.6 if _LIST_WANTED.search(q.text) else 0.3
        if c.kind == "tail":
            bonus -= 0.2
        if c.kind == "ordinal":
            bonus += 1.5
    size = list_size(q)
    if size and c.kind == "list":
        bonus += 1.0 if c.label == str(size) else -0.3
    # An answer restates nothing the question already names.
    for quoted in _QUOTED_IN_Q.findall(q.text):
        if quoted in c.text and c.text.strip("“”《》") != quoted:
            bonus -= 0.6
    return bonus


def _inside_question(q: Question, c: sp.Span) -> bool:
    core = c.text.strip("“”《》「」")
    return core in q.text or (q.kind != "number" and len(core) < 2)


def extract(q: Question, hits: Sequence[Hit], weight: Callable[[str], float]) -> Extraction | None:
    """The best answer span among the top passages, or None when none of them holds one."""
    terms = [t for t in q.terms if weight(t) > 0]
    total = sum(weight(t) for t in terms) or 1.0
    surfaces = _surfaces(q, terms)
    best: Extraction | None = None
    top_score = hits[0].score if hits else 1.0
    for i, hit in enumerate(hits[:TOP_PASSAGES]):
        text = hit.passage.text
        lowered = text.lower()
        coverage = _covered(((t, f) for word, (t, f) in surfaces.items() if word in lowered), weight) / total
        retrieval = hit.score / top_score if top_score > 0 else 0.0
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            positions = _term_positions(sentence, surfaces)
            sentence_cov = _covered(((t, f) for t, _, _, f in positions), weight) / total
            candidates = _candidates(q, sentence)
            if q.kind == "city" and hit.passage.city and not candidates:
                # Most passages never name their city: the answer is the city of the article that says it.
                candidates = [sp.Span(-1, -1, hit.passage.city, "city")]
            for c in candidates:
                if _inside_question(q, c) or (c.kind != "quote" and c.text.count("“") != c.text.count("”")):
                    continue  # restates the question, or cuts a quotation in half
                pull = _proximity(c, positions, weight, sentence, q.kind) / total
                if (
                    q.kind == "number"
                    and _PER_UNIT.search(q.text)
                    and not _PER_UNIT.search(sentence[max(0, c.start - 12) : c.start])
                ):
                    pull -= 0.5  # a per-person or per-year question needs a per-person or per-year figure
                score = 1.2 * pull + 0.6 * sentence_cov + 0.4 * coverage + 0.3 * retrieval + _type_bonus(q, c)
                score -= 0.03 * i
                if c.kind == "city":
                    score += 0.5
                if best is None or score > best.score:
                    start, end = (a + c.start, a + c.end) if c.start >= 0 else (-1, -1)
                    best = Extraction(i, sentence, start, end, c.text, score, coverage)
    return best


def idf_weights(documents: Sequence[Sequence[str]]) -> Callable[[str], float]:
    """A term weight from document frequencies; a term no passage holds counts as an average term."""
    df: dict[str, int] = {}
    for tokens in documents:
        for t in set(tokens):
            df[t] = df.get(t, 0) + 1
    return frequency_weights(df, len(documents))


def frequency_weights(df: dict[str, int], n: int) -> Callable[[str], float]:
    """idf_weights from already counted document frequencies (the keyword index has them)."""
    idf = {t: math.log((n - d + 0.5) / (d + 0.5) + 1.0) for t, d in df.items()}
    unseen = sum(idf.values()) / len(idf) if idf else 1.0

    def weight(term: str) -> float:
        if len(term) < 2 and not term.isdigit():
            return 0.0
        return idf.get(term, 0.5 * unseen)

    return weight
