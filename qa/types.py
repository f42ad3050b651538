"""What the assistant returns: citations and answers as small frozen dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.passage import Passage


@dataclass(frozen=True)
class Citation:
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
    place: str | None = None  # the article's place as a 6-digit division code (city holds its label)
    place_chain: tuple[str, ...] = ()  # the place and its parents, most specific first: (慈溪, 宁波, 浙江)
    date: str | None = None  # the article's date when known: "2013", "2013-10" or "2013-10-15"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
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


def citation(
    rank: int, hit: Hit, *, span: tuple[int, int] | None = None, matched: tuple[str, ...] | None = None
) -> Citation:
    """The one place a hit's passage becomes a Citation (matched: the terms to mark; default all the hit's)."""
    p = hit.passage
    return Citation(
        rank=rank,
        passage_id=p.id,
        source=p.source,
        title=p.title,
        city=p.city,
        year=p.year,
        paragraph=p.paragraph,
        text=p.text,
        score=round(hit.score, 4),
        span=span,
        matched=hit.matched if matched is None else matched,
        legs=hit.legs,
        also_in=tuple(loc.to_dict() for loc in p.also_in),
        kind=p.kind,
        place=p.place,
        place_chain=p.place_chain,
        date=p.date,
    )
