"""What the assistant returns: citations and answers as small frozen dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.passage import ORIGIN_FIELDS, Origin, Passage


@dataclass(frozen=True)
class Citation(Origin):
    """One cited passage with everything needed to show it (no second lookup)."""

    rank: int
    passage_id: str
    source: str
    title: str
    city: str | None
    year: int | None
    paragraph: int
    text: str
    score: float
    span: tuple[int, int] | None = None  # the answer's [start, end) inside text
    matched: tuple[str, ...] = ()  # query terms found in text
    legs: tuple[str, ...] = ()  # "dense", "keyword"
    also_in: tuple[dict[str, Any], ...] = ()  # {"source", "paragraph", "start", "end"} of copies elsewhere
    kind: str = "paragraph"

    def to_dict(self) -> dict[str, Any]:
        data = self.fields_dict()
        data["span"] = list(self.span) if self.span else None
        data["matched"] = list(self.matched)
        data["legs"] = list(self.legs)
        data["also_in"] = [dict(a) for a in self.also_in]
        data["place_chain"] = list(self.place_chain)
        return data


@dataclass(frozen=True)
class Variant:
    """One value of the answer as a particular report states it (when reports disagree)."""

    answer: str
    source: str
    title: str
    city: str | None
    year: int | None
    passage_id: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


NOT_STATED = "报告中未提及"


@dataclass(frozen=True)
class Row:
    """One report's value of the measure a cross-report question asks for (answer None: the report does not say)."""

    place: str  # the place's label (漳州)
    year: int | None  # the report's year, declared or inferred; else the year its sentence names
    answer: str | None  # the figure as written: 95%以上
    value: float | None  # as a number in `unit`: 95%以上 -> 95.0, 71.1万人 -> 711000.0
    unit: str | None  # %, 人, 元 …
    source: str | None
    passage_id: str | None
    sentence: str | None
    qualifiers: tuple[str, ...] = ()  # 以上, 多, 余, 近 … as written
    span: tuple[int, int] | None = None  # the figure inside the passage's text
    place_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "year": self.year,
            "answer": self.answer if self.answer is not None else NOT_STATED,
            "value": self.value,
            "unit": self.unit,
            "qualifiers": list(self.qualifiers),
            "source": self.source,
            "passage_id": self.passage_id,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Table:
    """One measure across reports: a row per report stating it, and a NOT_STATED row per place that does not."""

    measure: str  # the measure as the question names it: 工会组建率
    rows: tuple[Row, ...]
    mode: str  # compare (places side by side), places (places named), superlative, series (years), growth
    best: tuple[str, ...] = ()  # superlative: the place(s) read from the table
    verdict: str | None = None  # superlative: best, tie, incomparable; growth: the computed change as text
    label: str | None = None  # what the rows are when not places: a table's row heads (乡镇 of 各乡镇…)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "measure": self.measure,
            "mode": self.mode,
            "rows": [r.to_dict() for r in self.rows],
            "best": list(self.best),
            "verdict": self.verdict,
        }
        return out | {"label": self.label} if self.label else out


@dataclass(frozen=True)
class Item:
    """One item of a list answer (an honour, a brand, a measure taken) with where it is written."""

    text: str
    source: str
    passage_id: str
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "passage_id": self.passage_id}


@dataclass(frozen=True)
class Answer:
    """The result of one question."""

    question: str
    answer: str | None
    sentence: str | None
    citations: tuple[Citation, ...] = ()
    variants: tuple[Variant, ...] = ()  # each report's value when same-city reports disagree
    city: str | None = None  # the city the question was read as asking about
    year: int | None = None
    notes: tuple[str, ...] = field(
        default=()
    )  # e.g. "question cut to 500 characters", "no report covers 厦门"
    table: Table | None = None  # a question across reports: the measure per report
    items: tuple[Item, ...] = ()  # a list question: every item, each with its passage

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "sentence": self.sentence,
            "citations": [c.to_dict() for c in self.citations],
            "variants": [v.to_dict() for v in self.variants],
            "city": self.city,
            "year": self.year,
            "notes": list(self.notes),
            "table": self.table.to_dict() if self.table else None,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its fused score and what each leg said."""

    row: int
    passage: Passage
    score: float
    dense: float | None
    keyword: float | None
    legs: tuple[str, ...]
    matched: tuple[str, ...]


# The passage's fields that a citation and a search hit both show (in the order they are sent), and how it was
# read (by OCR: its page and the engine's confidence).
_SHOWN = ("source", "title", "city", "year", "paragraph", "kind", "text")
_READ_BY = ("date_from", "date_evidence", "ocr", "page", "ocr_confidence")


def _fields(p: Passage, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(p, name) for name in names}


def citation(
    rank: int, hit: Hit, *, span: tuple[int, int] | None = None, matched: tuple[str, ...] | None = None
) -> Citation:
    """The one place a hit's passage becomes a Citation (matched: the terms to mark; default all the hit's)."""
    p = hit.passage
    return Citation(
        rank=rank,
        passage_id=p.id,
        **_fields(p, _SHOWN),
        score=round(hit.score, 4),
        span=span,
        matched=hit.matched if matched is None else matched,
        legs=hit.legs,
        also_in=tuple(loc.to_dict() for loc in p.also_in),
        **_fields(p, ORIGIN_FIELDS),
    )


def hit_dict(rank: int, hit: Hit) -> dict[str, Any]:
    """One search hit with the fields a citation carries (no answer span: nothing is extracted)."""
    p = hit.passage
    return {
        "rank": rank,
        "passage_id": p.id,
        **_fields(p, _SHOWN),
        "score": float(hit.score),
        "legs": list(hit.legs),
        "matched": list(hit.matched),
        "parts": [loc.to_dict() for loc in p.parts],
        "also_in": [loc.to_dict() for loc in p.also_in],
        "date": p.date,
        **_fields(p, _READ_BY),
    }
