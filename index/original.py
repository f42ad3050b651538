"""The whole text of an indexed report, as the build read it, with where a passage lies in it (查看原文).

Passages record their paragraphs' character offsets in the decoded file (`Passage.parts`), so the text
is read again from the report file the index was built from, after checking that the file is the one
the index holds (its sha256 in the manifest); a changed or missing file is an IndexStaleError.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .errors import IndexStaleError, ReportNameError, ReportReadError
from .manifest import seeds_path
from .passage import Passage
from .readers.read import read_report_bytes, report_text


@dataclass(frozen=True)
class Original:
    """A report's text and the [start, end) ranges of one passage inside it (empty: not located)."""

    source: str
    title: str
    city: str | None
    year: int | None
    text: str
    marks: tuple[tuple[int, int], ...]
    ocr: bool = False  # the cited passage was read from a scan or photo by OCR
    page: int | None = None  # OCR: its page (from 1)
    ocr_confidence: float | None = None  # OCR: the engine's mean word confidence (0-100) on that page


def original_text(index, source: str) -> str:
    """The decoded text of report `source` of `index`, read from the seeds folder it was built from.

    Raises:
        ReportNameError: `source` is not a report of this index.
        IndexStaleError: the file is gone or changed since the build (rebuild, or reload the app).
    """
    built = index.manifest.get("sources", {})
    if not isinstance(source, str) or source not in built or source not in {p.source for p in index.passages}:
        raise ReportNameError(f"{source!r} is not a report of this index; GET /api/v1/reports lists them")
    seeds = seeds_path(index.manifest, index.directory)
    path = seeds / source if seeds else None
    fix = "run: python -m index build (or reload the app) and open it again"
    try:
        if path is None:
            raise ReportReadError(source)
        data = read_report_bytes(path)
    except ReportReadError:
        raise IndexStaleError(
            f"{source} is no longer in the seeds folder the index was built from; {fix}"
        ) from None
    if hashlib.sha256(data).hexdigest() != built[source]:
        raise IndexStaleError(f"{source} changed since the index was built; {fix}")
    return report_text(data, source)


def passage_in_report(index, passage: Passage, text: str | None = None) -> Original:
    """The passage's report, whole, with the passage's own paragraphs marked (its copies elsewhere are not)."""
    text = original_text(index, passage.source) if text is None else text
    marks = tuple(
        (max(0, p.start), min(len(text), p.end))
        for p in passage.parts
        if p.source == passage.source and 0 <= p.start < p.end <= len(text)
    )
    return Original(
        passage.source,
        passage.title,
        passage.city,
        passage.year,
        text,
        marks,
        ocr=passage.ocr,
        page=passage.page,
        ocr_confidence=passage.ocr_confidence,
    )
