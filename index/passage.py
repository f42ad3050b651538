"""The unit the index stores: a cleaned, citable passage with every place it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# What gave a date that is inferred, not printed or declared (shown as 推断): a title's year, the text's period.
INFERRED_DATES = frozenset({"title", "text"})


@dataclass(frozen=True)
class Location:
    """One place in a seed file: the source, the paragraph number (1-based) and character offsets."""

    source: str
    paragraph: int
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class Origin:
    """Where a passage's text is from: the article's place and date, what gave the date, and how it was read."""

    place: str | None = None  # the 6-digit division code of the article's place
    place_chain: tuple[str, ...] = ()  # the place and its parents, most specific first: (慈溪, 宁波, 浙江)
    place_now: str | None = (
        None  # a place that no longer exists (莱芜): the current one it is part of (济南市莱芜区)
    )
    date: str | None = None  # the article's date: "2013", "2013-10" or "2013-10-15"
    date_from: str | None = None  # what gave the date: declared, header, dateline, title or text (inferred)
    date_evidence: str | None = None  # a date inferred from the text: the sentence that gives it
    ocr: bool = False  # the text was read from a scan or photo by OCR
    page: int | None = None  # OCR: the page (from 1) of the PDF or image it was read from
    ocr_confidence: float | None = None  # OCR: the engine's mean word confidence (0-100) on that page

    @property
    def year_inferred(self) -> bool:
        """Whether the year was inferred (from the title or the period the text recounts), not printed or declared."""
        return self.date_from in INFERRED_DATES

    def fields_dict(self) -> dict[str, Any]:
        """asdict(self) with the subclass's own fields first (id, text…) and the origin's after them."""
        data = asdict(self)
        return {
            **{k: v for k, v in data.items() if k not in ORIGIN_FIELDS},
            **{k: data[k] for k in ORIGIN_FIELDS},
        }


ORIGIN_FIELDS = tuple(f.name for f in fields(Origin))


@dataclass(frozen=True)
class Passage(Origin):
    """A passage as stored in passages.jsonl; row i is FAISS id i."""

    id: str
    source: str
    title: str
    city: str | None  # the label of the article's place (慈溪, 郏县, 龙岩)
    year: int | None
    paragraph: int
    kind: str  # "paragraph" or "caption"
    text: str
    parts: tuple[Location, ...] = ()  # the original paragraphs (with offsets) this passage was cut from
    also_in: tuple[Location, ...] = field(default=())  # other places carrying the same or near-identical text
    declared: tuple[str, ...] = ()  # which of title, place, date the report's sidecar declared

    def to_dict(self) -> dict[str, Any]:
        data = self.fields_dict()
        if not self.ocr:  # a passage read from text is written as before OCR existed
            for key in ("ocr", "page", "ocr_confidence"):
                del data[key]
        for key in ("date_evidence", "place_now"):
            if data[key] is None:
                del data[key]
        data["parts"] = [p.to_dict() for p in self.parts]
        data["also_in"] = [p.to_dict() for p in self.also_in]
        data["place_chain"] = list(self.place_chain)
        data["declared"] = list(self.declared)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(
            id=data["id"],
            source=data["source"],
            title=data["title"],
            city=data.get("city"),
            year=data.get("year"),
            paragraph=int(data["paragraph"]),
            kind=data["kind"],
            text=data["text"],
            parts=tuple(Location(**p) for p in data.get("parts", ())),
            also_in=tuple(Location(**p) for p in data.get("also_in", ())),
            place=data.get("place"),
            place_chain=tuple(data.get("place_chain", ())),
            place_now=data.get("place_now"),
            date=data.get("date"),
            declared=tuple(data.get("declared", ())),
            date_from=data.get("date_from"),
            date_evidence=data.get("date_evidence"),
            ocr=data.get("ocr") is True,
            page=int(data["page"]) if data.get("page") is not None else None,
            ocr_confidence=float(data["ocr_confidence"]) if data.get("ocr_confidence") is not None else None,
        )
