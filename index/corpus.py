"""From report files to passages: parse, split articles, repair reading order, deduplicate, cut to size."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ReportReadError
from .passage import Location, Passage
from .places.metadata import read_declared
from .readers.ocr import OcrPage, ocr_lines, ocr_record
from .readers.read import list_reports, read_report_bytes, report_text
from .text import bylines
from .text.articles import Article, split_articles
from .text.dedup import Merge, find_duplicates
from .text.layout import Block, classify, split_lines
from .text.repair import Join, PhraseBook, repair_article
from .text.split import chunk_spans

TINY_CHARS = 15  # a body fragment shorter than this is not worth a passage of its own


@dataclass
class Unit:
    """A paragraph after repair: one or more blocks of one article read as one text."""

    article: Article
    kind: str  # paragraph or caption
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "".join(b.text for b in self.blocks)

    @property
    def source(self) -> str:
        return self.article.source


@dataclass
class CorpusReport:
    """What the build did, for the summary and the audit."""

    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    raw_paragraphs: int = 0
    articles: list[Article] = field(default_factory=list)
    joins: list[tuple[str, Join]] = field(default_factory=list)
    next_paragraph_joins: int = 0
    unpaired_ends: list[tuple[str, Block]] = field(default_factory=list)
    unpaired_starts: list[tuple[str, Block]] = field(default_factory=list)
    exact_duplicates: int = 0
    near_duplicates: int = 0
    merges: list[tuple[str, str, str]] = field(default_factory=list)  # (kept id-ish, dropped location, how)
    tiny_joined: int = 0
    passages: int = 0
    captions: int = 0
    # per file, the paragraphs OCR read: paragraph number -> (page from 1, the page's mean OCR confidence)
    ocr: dict[str, dict[int, tuple[int, float]]] = field(default_factory=dict)
    # per file, what was read: (sha256 of the bytes, the text, the pages OCR read), for the next build
    texts: dict[str, tuple[str, str, list]] = field(default_factory=dict)


# What the build read from a report file: (sha256 of its bytes and its suffix, its text, the pages OCR read).
ReadText = tuple[str, str, list[tuple[int, OcrPage]]]


def read_articles(
    seeds_dir: Path, report: CorpusReport, known: dict[str, ReadText] | None = None
) -> list[Article]:
    """Every readable report's articles; unreadable files are listed in the report and left out.

    known: texts an earlier build read, by the sha256 of the file's bytes; a file with those bytes is not read
    (nor OCR'd) again. What was read is left in report.texts for the next build.
    """
    import hashlib

    articles: list[Article] = []
    for path in list_reports(seeds_dir):
        try:
            data = read_report_bytes(path)
            sha = (
                f"{hashlib.sha256(data).hexdigest()}:{path.suffix.lower()}"  # the suffix tells text from HTML
            )
            if known and sha in known:
                _, text, ocr_pages = known[sha]
            else:
                with ocr_record() as ocr_pages:
                    text = report_text(data, path.name)
        except ReportReadError as exc:
            report.skipped.append((path.name, str(exc)))
            continue
        report.texts[path.name] = (sha, text, list(ocr_pages))
        if ocr_pages:
            report.ocr[path.name] = ocr_lines(text, ocr_pages)
        try:
            declared = read_declared(path)
        except ReportReadError as exc:
            report.skipped.append((path.name, str(exc)))
            continue
        blocks = classify(split_lines(text))
        report.files.append(path.name)
        report.raw_paragraphs += len(blocks)
        articles.extend(split_articles(path.name, blocks, declared))
    if not report.files:
        from .errors import SeedError

        reasons = "; ".join(reason for _, reason in report.skipped)
        raise SeedError(f"no readable report in {seeds_dir}: {reasons}")
    report.articles = articles
    return articles


def repaired_units(articles: list[Article], report: CorpusReport) -> list[Unit]:
    """Each article's paragraphs with broken sentences joined, and its captions, in file order."""
    phrases = PhraseBook([b.text for a in articles for b in a.blocks])
    units: list[Unit] = []
    for article in articles:
        result = repair_article(article.blocks, phrases)
        report.joins.extend((article.source, j) for j in result.joins)
        report.next_paragraph_joins += sum(1 for j in result.joins if j.adjacent)
        report.unpaired_ends.extend((article.source, b) for b in result.unpaired_ends)
        report.unpaired_starts.extend((article.source, b) for b in result.unpaired_starts)
        article_units = [Unit(article, "paragraph", blocks) for blocks in result.units]
        article_units += [Unit(article, "caption", [b]) for b in article.blocks if b.kind == "caption"]
        article_units.sort(key=lambda u: u.blocks[0].paragraph)
        units.extend(article_units)
    return units


def _location(unit: Unit) -> list[Location]:
    return [Location(unit.source, b.paragraph, b.start, b.end) for b in unit.blocks]


def deduplicate(units: list[Unit], report: CorpusReport) -> tuple[list[Unit], dict[int, list[Location]]]:
    """Drop repeated paragraphs; return the kept units and, per kept unit, the locations of its copies."""
    merges: list[Merge] = find_duplicates(
        units, text=lambda u: u.text, group=lambda u: u.article.place or u.source
    )
    copies: dict[int, list[Location]] = {}
    dropped = {m.dropped: m for m in merges}

    def root(i: int) -> int:
        while i in dropped:
            i = dropped[i].kept
        return i

    for merge in merges:
        keeper = root(merge.kept)
        copies.setdefault(keeper, []).extend(_location(units[merge.dropped]))
        if merge.how == "exact":
            report.exact_duplicates += 1
        else:
            report.near_duplicates += 1
        gone = units[merge.dropped]
        report.merges.append(
            (
                f"{units[keeper].source} ¶{units[keeper].blocks[0].paragraph}",
                f"{gone.source} ¶{gone.blocks[0].paragraph}",
                f"{merge.how} {merge.similarity}",
            )
        )
    kept = [i for i in range(len(units)) if i not in dropped]
    return [units[i] for i in kept], {new: copies.get(old, []) for new, old in enumerate(kept)}


def join_tiny(units: list[Unit], copies: dict[int, list[Location]], report: CorpusReport):
    """A body fragment of a few characters joins the paragraph before it (or after it) in its article."""
    out: list[Unit] = []
    out_copies: list[list[Location]] = []
    pending: list[Block] = []
    for i, unit in enumerate(units):
        tiny = unit.kind == "paragraph" and len(unit.text) < TINY_CHARS
        if tiny and out and out[-1].article is unit.article and out[-1].kind == "paragraph":
            out[-1].blocks.extend(unit.blocks)
            out_copies[-1].extend(copies.get(i, []))
            report.tiny_joined += 1
            continue
        if tiny:
            pending.extend(unit.blocks)
            report.tiny_joined += 1
            continue
        if pending and unit.kind == "paragraph":
            unit = Unit(unit.article, unit.kind, pending + unit.blocks)
            pending = []
        out.append(unit)
        out_copies.append(list(copies.get(i, [])))
    return out, out_copies


def _parts(unit: Unit, start: int, end: int) -> tuple[Location, ...]:
    parts = []
    offset = 0
    for block in unit.blocks:
        lo, hi = offset, offset + len(block.text)
        a, b = max(start, lo), min(end, hi)
        if a < b:
            parts.append(Location(unit.source, block.paragraph, block.start + a - lo, block.start + b - lo))
        offset = hi
    return tuple(parts)


def ocr_fields(parts: tuple[Location, ...], read: dict[int, tuple[int, float]] | None) -> dict[str, Any]:
    """ocr, page and ocr_confidence for a passage whose paragraphs OCR read (the first such paragraph's page,
    the mean confidence of its pages); nothing for one read from text."""
    found = [read[p.paragraph] for p in parts if read and p.paragraph in read]
    if not found:
        return {}
    confidences = dict(found).values()
    return {
        "ocr": True,
        "page": found[0][0],
        "ocr_confidence": round(sum(confidences) / len(confidences), 1),
    }


def article_fields(article: Article) -> dict[str, Any]:
    """What every passage of an article carries from it: its report, title, city, year, place, date, declared."""
    return {
        "source": article.source,
        "title": article.title,
        "city": article.city,
        "year": article.year,
        "place": article.place,
        "place_chain": article.place_chain,
        "place_now": article.place_now,
        "date": article.date,
        "declared": article.declared,
        "date_from": article.date_from,
        "date_evidence": article.date_evidence,
    }


def to_passages(units: list[Unit], copies: list[list[Location]], report: CorpusReport) -> list[Passage]:
    """Cut each unit at sentence ends into passages that carry their article's metadata and locations."""
    passages: list[Passage] = []
    for unit, unit_copies in zip(units, copies, strict=True):
        text = unit.text
        stem = Path(unit.source).stem
        own = set(_location(unit))  # a passage never lists its own paragraphs as copies of itself
        for piece, (a, b) in enumerate(chunk_spans(text)):
            parts = _parts(unit, a, b)
            passages.append(
                Passage(
                    id=f"{stem}-p{parts[0].paragraph:03d}-{piece}",
                    **article_fields(unit.article),
                    paragraph=parts[0].paragraph,
                    kind=unit.kind,
                    text=text[a:b].strip(),
                    parts=parts,
                    also_in=tuple(loc for loc in unit_copies if loc not in own),
                    **ocr_fields(parts, report.ocr.get(unit.source)),
                )
            )
    report.passages = len(passages)
    report.captions = sum(1 for p in passages if p.kind == "caption")
    return passages


def card_passages(
    articles: list[Article],
    headers: dict[str, Block],
    ocr: dict[str, dict[int, tuple[int, float]]] | None = None,
) -> list[Passage]:
    """Each article's byline, date and photo credits as passages of kind "byline" (index.text.bylines)."""
    out = []
    for article in articles:
        stem = Path(article.source).stem
        for n, card in enumerate(bylines.cards(article, headers.get(article.source))):
            parts = tuple(Location(article.source, b.paragraph, b.start, b.end) for b in card.blocks)
            out.append(
                Passage(
                    id=f"{stem}-a{article.number:02d}-{bylines.KIND}{n}",
                    **article_fields(article),
                    paragraph=min(b.paragraph for b in card.blocks),
                    kind=bylines.KIND,
                    text=card.text,
                    parts=parts,
                    **ocr_fields(parts, (ocr or {}).get(article.source)),
                )
            )
    return out


def build_passages(
    seeds_dir: Path, known: dict[str, ReadText] | None = None
) -> tuple[list[Passage], CorpusReport]:
    """The whole cleaning pipeline over a seeds folder; known: texts read before, by file sha256 (read_articles)."""
    report = CorpusReport()
    articles = read_articles(seeds_dir, report, known)
    units = repaired_units(articles, report)
    units, copies = deduplicate(units, report)
    units, copy_lists = join_tiny(units, copies, report)
    passages = to_passages(units, copy_lists, report)
    headers: dict[str, Block] = {}
    for block_source, block in ((a.source, b) for a in articles for b in a.blocks):
        if block.kind == "header" and block.date:
            headers.setdefault(block_source, block)  # a page header dates every article of its file
    passages += card_passages(articles, headers, report.ocr)
    report.passages = len(passages)
    return passages, report
