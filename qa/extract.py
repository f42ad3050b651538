"""Extractive answers: every candidate span in the top passages gets features; the learned scorer picks one.

The features are plain measurements (closeness to the question's rare terms, coverage, unit and kind fit, …);
how much each counts is not set here but fit on the gold set (qa/scorer_weights.json, `python -m eval.fit`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from index.text import figures
from index.text.split import sentence_spans

from . import spans as sp
from .candidates import span_candidates, term_positions, term_surfaces
from .features import (
    TOP_PASSAGES,
    adjacent_match,
    char_rarity,
    clause_before_pull,
    covered,
    focus_terms,
    inside_question,
    local_word_overlap,
    misfit,
    own_clause_chars,
    places_asked,
    predicate_before,
    proximity,
    segment_pull,
    span_fit_features,
    term_stretches,
)
from .question import Question
from .scorer import Scorer, sentence_checks
from .types import Hit

# A sentence that names its zone, town or company by 该 and the kind of unit (该公司确定资助对象38名, 该镇, 该段工会): in
# a passage that names the unit asked, it is about that unit, as a sentence naming it is.
REFERS_BACK = re.compile(r"该(?:公司|集团|企业|厂|矿|镇|乡|街道|园区|开发区|高新区|新区|段|油田)")


@dataclass(frozen=True)
class Extraction:
    """The chosen answer: the hit it comes from, the sentence, and the span inside the passage text."""

    hit: int  # index into the hits
    sentence: str
    start: int  # answer span in the passage text
    end: int
    text: str
    score: float  # the scorer's linear score
    coverage: float  # share of the question's weighted terms found in the sentence's passage
    probability: float = 0.0  # the scorer's probability that this is the answer (vs the others, vs none)


@dataclass(frozen=True)
class Candidate:
    """A span that might answer the question, with the measurements the scorer weighs."""

    hit: int
    sentence: str
    start: int  # in the passage text (-1: not a span of the text)
    end: int
    text: str
    kind: str
    coverage: float
    features: dict[str, float] = field(default_factory=dict)
    # written as a plan or target, the question asking none (qa.features target_mismatch): see _prefer_plan_fit
    target: bool = False


_RELATIVE = (
    "pull_before",
    "pull_after",
    "same_clause",
    "same_segment",
    "stretch_before",
    "stretch_after",
    "adjacent_phrase",
    "local_overlap",
    "clause_chars",
    "focus_chars",
    "sentence_coverage",
    "passage_coverage",
    "retrieval",
)


def candidates(q: Question, hits: Sequence[Hit], weight: Callable[[str], float]) -> list[Candidate]:
    """Every candidate answer span in the top passages with its features."""
    terms = [t for t in q.terms if weight(t) > 0]
    total = sum(weight(t) for t in terms) or 1.0
    surfaces = term_surfaces(q, terms)
    top_score = hits[0].score if hits else 1.0
    rarest = max(terms, key=weight) if terms else None
    asked_places = places_asked(q)
    focus = focus_terms(q, terms)
    phrases = q.phrases
    rarity = char_rarity(hits)
    focus_total = sum(weight(t) for t in focus) or 1.0
    out: list[Candidate] = []
    for i, hit in enumerate(hits[:TOP_PASSAGES]):
        text = hit.passage.text
        lowered = text.lower()
        coverage = covered(((t, f) for word, (t, f) in surfaces.items() if word in lowered), weight) / total
        retrieval = hit.score / top_score if top_score > 0 else 0.0
        where = f"{text}{hit.passage.title}{hit.passage.city or ''}"
        chain = {*hit.passage.place_chain, hit.passage.city or ""}
        place_missing = float(any(place not in chain and place not in where for place in asked_places))
        if any(unit not in where for unit in q.units):
            continue  # a zone, town or company the question names: only a passage naming it may answer
        seen: set[tuple[int, int, str]] = set()
        passage_wide: dict[str, int] = {}  # a candidate of the whole passage (its city) -> its place in out
        heading = f"{hit.passage.title}{hit.passage.city or ''}"
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            if any(
                unit not in sentence and unit not in heading for unit in q.units
            ) and not REFERS_BACK.search(sentence):
                # A zone or company named elsewhere in the passage (辖高新区、经济开发区…) does not make the
                # sentence's figure its own; an article about it (its title names it) answers in any sentence.
                continue
            positions = term_positions(sentence, surfaces)
            # The noun a "what X" question asks for (宣讲团 in 什么宣讲团) is the answer's kind (head_fit), not
            # a word pointing at it: it pulls no candidate, so a quote beside it gains nothing over the phrase.
            pointing = [p for p in positions if not (q.asked_noun and p[0] in q.asked_noun)]
            sentence_cov = covered(((t, f) for t, _, _, f in positions), weight) / total
            checks = sentence_checks(q, sentence, terms, weight)
            found = span_candidates(q, sentence)
            if q.kind == "city" and hit.passage.city and not found:
                # Most passages never name their city: the answer is the city of the article that says it.
                found = [sp.Span(-1, -1, hit.passage.city, "city")]
            for c in found:
                if inside_question(q, c) or (c.kind != "quote" and c.text.count("“") != c.text.count("”")):
                    continue  # restates the question, or cuts a quotation in half
                key = (c.start, c.end, c.text)
                if key in seen and c.start >= 0:
                    continue
                seen.add(key)
                before, after, clause = proximity(c, pointing, weight, sentence)
                segment, focused = (
                    segment_pull(c, pointing, weight, sentence, focus) if c.start >= 0 else (0, 0)
                )
                extra = {}
                if q.kind == "number" and c.start >= 0:
                    extra["focus_in_segment"] = focused / focus_total
                    others = [o for o in found if o.kind == "number" and o is not c]
                    own_before, own_after = term_stretches(c, others, positions, weight, sentence)
                    extra["stretch_before"] = own_before / total
                    extra["stretch_after"] = own_after / total
                    extra["adjacent_phrase"] = adjacent_match(c, sentence, phrases)
                    extra["local_overlap"] = local_word_overlap(q, c, others, sentence, rarity)
                    extra["clause_chars"] = own_clause_chars(q.text, c, others, sentence, rarity)
                    extra["focus_chars"] = own_clause_chars(q.focus, c, others, sentence, rarity)
                    # 受理案件316起，调解成功258起 for 调解成功了多少起: of a sentence's figures, the one right
                    # after the whole predicate asked is the answer, whatever the others share of the context
                    if predicate_before(q, sentence, c):
                        extra["predicate_before"] = 1.0
                    elif any(predicate_before(q, sentence, o) for o in others):
                        extra["predicate_elsewhere"] = 1.0
                if q.kind == "person" and c.kind == "person":
                    # 焊工李明达、电工王建强: the words in a name's own stretch tell one name of a list from another
                    others = [o for o in found if o.kind == "person" and o is not c]
                    extra["local_overlap"] = local_word_overlap(q, c, others, sentence, rarity)
                span_features = span_fit_features(q, sentence, c)
                if c.kind == "clause" and "consequence" in (c.label or ""):
                    # 经调解一个月不成协议的，交由法院…: the condition before it is what the question describes
                    extra["condition_pull"] = clause_before_pull(c, positions, weight, sentence) / total
                    if "form_fit" in span_features and q.form.next:
                        # the consequence of the condition the question describes: as much as the condition
                        # holds of the question's words found in the sentence
                        span_features["form_fit"] = min(1.0, extra["condition_pull"] / (sentence_cov or 1.0))
                features = {
                    "no_term_in_sentence": float(not positions),
                    "rarest_term_missing": float(rarest is not None and rarest not in lowered),
                    "asked_place_missing": place_missing,
                    "pull_before": before / total,
                    "pull_after": after / total,
                    "same_clause": clause / total,
                    "same_segment": segment / total,
                    **extra,
                    "sentence_coverage": sentence_cov,
                    "passage_coverage": coverage,
                    "retrieval": retrieval,
                    "passage_rank": float(i),
                    **span_features,
                    **checks,
                }
                if misfit(q, sentence, c, features):
                    continue
                start, end = (a + c.start, a + c.end) if c.start >= 0 else (-1, -1)
                target = bool(features.pop("target_mismatch", 0.0))  # a preference, never weighed
                candidate = Candidate(i, sentence, start, end, c.text, c.kind, coverage, features, target)
                if c.start < 0:
                    # The article's own city stands for the passage once, read in the sentence that holds most of
                    # the question (the one naming 妈妈小屋 for 哪些市建了妈妈小屋), not in its first sentence. Held
                    # out on the world (python -m eval --world): multi-source questions 0.941 -> 1.000.
                    earlier = passage_wide.get(c.text)
                    if earlier is not None:
                        if sentence_cov > out[earlier].features["sentence_coverage"]:
                            out[earlier] = candidate
                        continue
                    passage_wide[c.text] = len(out)
                out.append(candidate)
    _sentence_leaders(out)
    # A pointwise model ranks better knowing how far each candidate is from the question's best one.
    for name in _RELATIVE:
        top = max((c.features.get(name, 0.0) for c in out), default=0.0)
        for c in out:
            if name in c.features:
                c.features["gap_" + name] = c.features[name] - top
    return out


def _figure_unit(c: Candidate) -> str | None:
    """The unit a figure candidate is counted in (None for text answers)."""
    return figures.unit_of(c.text) if c.kind == "number" else None


def _same_unit_group(c: Candidate) -> tuple[int, str, str | None]:
    """A sentence's figures in one unit: where an answer-time preference chooses among them."""
    return c.hit, c.sentence, _figure_unit(c)


def _prefer_plan_fit(found: list[Candidate]) -> list[Candidate]:
    """Figures written as a plan or target when the question asks no plan, left out where a figure in the same
    unit not so written fits: a work report gives last year's 28.1万人 and this year's target 不少于26万人 for
    城镇新增就业多少人 (a real WPS-made report, eval/READERS.md). Applied when answering, after the features are
    measured: as a filter on the candidates the scorer is fitted on, it moved the refit and took one held-out
    answer it never touched (python -m eval --world)."""
    fitting = {_figure_unit(c) for c in found if not c.target} - {None}
    return [c for c in found if not (c.target and _figure_unit(c) in fitting)]


def _prefer_asked_predicate(found: list[Candidate]) -> list[Candidate]:
    """A sentence's other figures left out where one of its figures stands right after the whole phrase the
    question puts before 多少 in the same unit (受理案件228起，调解成功197起 for 调解成功了多少起). Applied when
    answering, as _prefer_plan_fit is: the scorer weighs predicate_before, but a refit without the report held out
    still took the first figure (python -m eval --world)."""
    led = {_same_unit_group(c) for c in found if c.features.get("predicate_before")}
    return [c for c in found if not (c.features.get("predicate_elsewhere") and _same_unit_group(c) in led)]


# Of a sentence's figures, the one that alone stands against the counted noun or the asked phrase: 受理案件316起，
# 调解成功258起 for 调解成功了多少起; 联合工会326家，覆盖企业1.25万家 for 多少家企业. Across sentences counted_fit
# tells little (职工 stands beside most counts of people, the fit gives it no weight); inside one it does (of 202
# sentences with a right and a wrong figure, it set the right one alone first 67 times, the wrong one 7).
_LEADS = (
    ("counted_fit", "sentence_best_counted"),
    ("adjacent_phrase", "sentence_best_phrase"),
    ("clause_chars", "sentence_best_clause"),
    ("focus_chars", "sentence_best_focus"),
)


def _prefer_counted_leader(found: list[Candidate]) -> list[Candidate]:
    """A sentence's other figures in the same unit left out where one of them alone counts the asked noun
    (联合工会326家，覆盖企业1.25万家 for 多少家企业). Applied when answering, as _prefer_asked_predicate is: inside one
    sentence the counted noun picks the right figure ten times for each wrong one (_LEADS), but the refit weighs
    sentence_best_counted below the context words the subject shares with the other figure; as a filter it turned
    one held-out wrong answer right and changed no other (python -m eval --world, 972 questions)."""
    led = {_same_unit_group(c) for c in found if c.features.get("sentence_best_counted")}
    return [c for c in found if c.features.get("sentence_best_counted") or _same_unit_group(c) not in led]


def _prefer_part_asked(found: list[Candidate]) -> list[Candidate]:
    """A sentence's figures before the part the question asks left out (两年选送69项成果…，其中获金奖项目18个，银奖4个
    for 项目中有几个获得金奖): the whole group's count is no answer for a part of it. The figures after the part stay
    (银奖4个 answers 几个获得银奖). Applied when answering, as _prefer_asked_predicate is: the refit weighs
    subset_asked but the context words the whole shares with the question outweighed it; as a filter it turned one
    held-out wrong answer right and changed no other (python -m eval --world, 972 questions)."""
    parts: dict[tuple[int, str], int] = {}
    for c in found:
        if c.features.get("subset_asked") and c.start >= 0:
            key = (c.hit, c.sentence)
            parts[key] = min(parts.get(key, c.start), c.start)
    return [
        c
        for c in found
        if not (
            c.kind == "number"
            and (c.hit, c.sentence) in parts
            and not c.features.get("subset_cue")
            and 0 <= c.start < parts[(c.hit, c.sentence)]
        )
    ]


def _sentence_leaders(found: Sequence[Candidate]) -> None:
    """Mark each figure that is strictly first of its sentence's figures by the counted noun or the asked phrase."""
    groups: dict[tuple[int, str], list[Candidate]] = {}
    for c in found:
        if c.kind == "number" and c.start >= 0:
            groups.setdefault((c.hit, c.sentence), []).append(c)
    for group in groups.values():
        if len({c.text for c in group}) < 2:
            continue
        for name, lead in _LEADS:
            values = [c.features.get(name, 0.0) for c in group]
            for n, c in enumerate(group):
                if values[n] > max(v for m, v in enumerate(values) if m != n):
                    c.features[lead] = 1.0


# Applied when answering, in this order, after the features are measured (each one's docstring gives its measure).
ANSWER_PREFERENCES: tuple[Callable[[list[Candidate]], list[Candidate]], ...] = (
    _prefer_plan_fit,
    _prefer_asked_predicate,
    _prefer_counted_leader,
    _prefer_part_asked,
)


def extract(
    q: Question, hits: Sequence[Hit], weight: Callable[[str], float], scorer: Scorer | None = None
) -> Extraction | None:
    """The best answer span among the top passages by the scorer, or None when none of them holds one."""
    scorer = scorer or default_scorer()
    found = candidates(q, hits, weight)
    for prefer in ANSWER_PREFERENCES:
        found = prefer(found)
    n, probability = scorer.decide([c.features for c in found], answer_keys(found))
    if n is None:
        return None
    c = found[n]
    return Extraction(
        c.hit, c.sentence, c.start, c.end, c.text, scorer.logit(c.features), c.coverage, probability
    )


def answer_keys(found: Sequence[Candidate]) -> list[str]:
    """What each candidate would answer, as compared: the same words from two spans are one answer."""
    return [re.sub(r"\s", "", c.text.strip("“”《》「」")) for c in found]


_DEFAULT: list[Scorer] = []


def default_scorer() -> Scorer:
    """qa/scorer_weights.json, read once."""
    if not _DEFAULT:
        _DEFAULT.append(Scorer.load())
    return _DEFAULT[0]
