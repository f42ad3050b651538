"""The JSON API's replies as pydantic models: what /openapi.json describes for each status.

The routes still send the library's own dicts (Answer.to_dict(), hit_dict, Assistant.sources()) byte for byte;
these models only describe them, and tests/web/test_json_api.py checks real replies against the description.
Extra fields are allowed so a field added to a dict is not a breaking change (the test then asks for it here).
"""

import dataclasses
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from qa import types


class Reply(BaseModel):
    model_config = ConfigDict(extra="allow")


class Location(Reply):
    """A place in a report file: paragraph (1-based) and character offsets."""

    source: str
    paragraph: int
    start: int
    end: int


class Shown(Reply):
    """The fields a citation and a search hit both carry (qa.types: citation and hit_dict)."""

    rank: int
    passage_id: str
    source: str = Field(description="the report file")
    title: str
    city: str | None
    year: int | None
    paragraph: int
    kind: str = Field(description='"paragraph" or "caption"')
    text: str
    score: float
    legs: list[str] = Field(description='the retrieval legs that found it: "dense", "keyword"')
    matched: list[str] = Field(description="query terms found in text")
    also_in: list[Location] = Field(description="copies of this text elsewhere")
    date: str | None = Field(description='"2013", "2013-10" or "2013-10-15" when known')
    date_from: str | None = Field(
        description="what gave the date: declared (sidecar), header, dateline, or inferred: title, text"
    )
    date_evidence: str | None = Field(description="a date inferred from the text: the sentence that gives it")
    ocr: bool = Field(description="true when the passage was read by OCR from a scan or photo")
    page: int | None = Field(description="the scan's page the passage was read from (OCR only)")
    ocr_confidence: float | None = Field(description="the OCR engine's mean confidence, 0-100 (OCR only)")


class Citation(Shown):
    """One cited passage with everything needed to show it."""

    span: list[int] | None = Field(description="the answer's [start, end) inside text; null when none")
    place: str | None = Field(description="the article's place as a 6-digit division code")
    place_chain: list[str] = Field(description="the place and its parents, most specific first")
    place_now: str | None = Field(
        description="a place that no longer exists: the current place it became part of (济南市莱芜区)"
    )


def _as_sent(cls: type, doc: str) -> type[Reply]:
    """The model of a library dataclass whose to_dict() is its fields as they are (dataclasses.asdict)."""
    hints = get_type_hints(cls)
    fields_ = {f.name: (hints[f.name], ...) for f in dataclasses.fields(cls)}
    return create_model(cls.__name__, __base__=Reply, __doc__=doc, **fields_)


Variant = _as_sent(
    types.Variant, "One value of the answer as one report states it (when same-city reports disagree)."
)


class Row(Reply):
    """One report's value of the measure (answer 报告中未提及 when the report does not say)."""

    place: str
    year: int | None
    answer: str = Field(examples=["95%以上"])
    value: float | None = Field(description="the figure as a number in unit: 95%以上 -> 95.0")
    unit: str | None
    qualifiers: list[str] = Field(description="以上, 多, 余, 近 … as written")
    source: str | None
    passage_id: str | None
    sentence: str | None


class Table(Reply):
    """One measure across reports (a comparison, a superlative, a series, a growth)."""

    measure: str
    mode: str = Field(description="compare, places, superlative, series or growth")
    rows: list[Row]
    best: list[str] = Field(description="superlative: the place(s) read from the table")
    verdict: str | None


class Item(Reply):
    """One item of a list answer with the passage it is written in."""

    text: str
    source: str
    passage_id: str


class Answer(Reply):
    """The answer to one question (Answer.to_dict()); answer null: the reports do not say."""

    question: str
    answer: str | None = Field(examples=["95%以上"])
    sentence: str | None
    citations: list[Citation]
    variants: list[Variant]
    city: str | None = Field(description="the city the question was read as asking about")
    year: int | None
    notes: list[str]
    table: Table | None = Field(description="a question across reports; null otherwise")
    items: list[Item] = Field(description="a list question's items; empty otherwise")


class Hit(Shown):
    """One passage found by /search, with the fields a citation carries (no answer span)."""

    parts: list[Location] = Field(description="the original paragraphs this passage was cut from")


class Hits(Reply):
    """The best passages for a question."""

    question: str
    hits: list[Hit]


class Report(Reply):
    """One indexed report: its first article's title, city and year, and every article's."""

    source: str
    title: str
    city: str | None
    year: int | None
    year_inferred: bool = Field(description="the year was inferred from the report's title or text (推断)")
    year_evidence: str | None = Field(description="the sentence the inferred year was read from")
    titles: list[str]
    cities: list[str]
    years: list[int]


class Problem(BaseModel):
    """One field of the request that was refused."""

    field: str = Field(description='the field ("k", "city"), or "body" for the body as a whole')
    problem: str


class Error(BaseModel):
    """Every error reply, whatever the status."""

    error: str = Field(examples=["k: Input should be less than or equal to 10"])
    problems: list[Problem] | None = Field(None, description="422 only: each refused field")


def errors(*statuses: int, why: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each status it can send, in the one error shape (`why`: this route's own
    reasons, in place of the general ones)."""
    said = {**WHY, **(why or {})}
    return {s: {"model": Error, "description": said[s]} for s in statuses}


class ReportAdded(Reply):
    """POST /api/v1/reports: the report added and the index that now serves it."""

    name: str = Field(description="the stored file name (what DELETE /api/v1/reports/{name} takes)")
    passages: int = Field(description="its passages in the new index")
    embedded: int = Field(description="passages embedded anew (the rest kept their vectors)")
    declared: list[str] = Field(description="the fields (title, place, date) declared over what was read")
    seconds: float


class ReportChanged(Reply):
    """DELETE /api/v1/reports/{name} and POST /api/v1/reports/{name}/restore: what was done."""

    name: str
    action: str = Field(description='"removed" (to the trash, restorable) or "restored"')
    trash_days: int | None = Field(None, description="removed: days the trash keeps it")


class FeedbackEntry(Reply):
    """POST /api/v1/feedback: the entry as stored, awaiting an editor's review."""

    id: int
    at: str = Field(description="UTC time, ISO 8601")
    user: str
    question: str
    answer: str
    citations: list[dict[str, str]]
    verdict: str = Field(description='"up" (👍) or "down" (👎)')
    correction: dict[str, str] | None = Field(description="{answer, passage, source}, or null")
    index_version: str = Field(description="the build answering when it was given (its time and folder)")
    status: str = Field(description='"new" until reviewed, then "accepted" or "rejected"')


WHY = {
    400: "the Host header is not one this server answers to",
    401: "no or wrong login (HTTP Basic with the chat's accounts); WWW-Authenticate says how",
    403: "a cross-origin request, a file upload, or a forwarded request to a server without a login",
    404: "no such route",
    405: "a method the route does not take; Allow lists those it does",
    409: "a conflict with what is stored",
    413: "the request body is over the server's limit",
    422: "input refused: problems names each field, or the body is not JSON",
    429: "too many failed logins from this address; Retry-After says when to try again",
    500: "a bug; the details are in the server log",
    507: "the feedback file is full (for this user or for everyone) until an editor reviews it",
    503: "the server is busy or has no index loaded; Retry-After when busy",
}
