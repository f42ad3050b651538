"""Layout parsing: a report's text becomes numbered blocks, each classified (title, heading, caption, body...)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..readers.tables import is_table_row
from . import figures
from .patterns import HAN

# Sentence-final marks, and closers that may follow them.
TERMINALS = "。！？!?；;…"
CLOSERS = "”’」』)）】》\"'"
CLAUSE_MARKS = TERMINALS + "，,、：:"

_PAGE_HEADER = re.compile(
    rf"^\d{{1,3}}\s+({figures.YEAR})年(\d{{1,2}})月(\d{{1,2}})日\s*星期[一二三四五六日天]$"
)
_LABEL = re.compile(r"^[^\s，。,.]{2,10}[:：]$")
# A name as bylines and photo credits write it, names separated by spaces (张三 李四 摄).
_NAME = rf"{HAN}{{2,4}}"
_PHOTO_CREDIT = re.compile(rf"^{_NAME}(?:\s+{_NAME})*\s*摄$")
_BYLINE = re.compile(rf"^(?:■\s*.*|本版撰文[:：].*|{_NAME}(?:\s+{_NAME}){{0,3}})$")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_MD_BOLD = re.compile(r"^\*\*(.+?)\*\*$")

HEADING_MAX = 40
CAPTION_MAX = 90
CAPTION_GAP = 3  # blank lines around a photo caption in these layouts; body paragraphs have one


@dataclass(frozen=True)
class Block:
    """One non-empty line of a report: its number, its span in the file, its cleaned text and its role."""

    paragraph: int  # 1-based among the non-empty lines of the file
    start: int  # character offsets of `text` in the decoded file
    end: int
    text: str
    raw: str
    kind: str  # title, subtitle, header, byline, credit, label, heading, caption, body
    md_level: int = 0  # markdown heading level (0: none); 1 opens a new article
    gap_before: int = 0  # blank lines before it
    gap_after: int = 0
    date: tuple[int, int, int] | None = None  # from a page header


def ends_sentence(text: str) -> bool:
    """Whether the text ends a sentence (terminal mark, possibly followed by a closing quote or bracket)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINALS


def _strip_markup(line: str) -> tuple[str, int, int, bool]:
    """Remove markdown marks; return text, offset of text inside line, heading level, whether it was bold."""
    level = 0
    offset = 0
    bold = False
    md = _MD_HEADING.match(line)
    if md:
        level = len(md.group(1))
        offset = md.start(2)
        line = md.group(2)
    bold_match = _MD_BOLD.match(line)
    if bold_match:
        bold = True
        offset += 2
        line = bold_match.group(1)
    return line, offset, level, bold


def split_lines(text: str) -> list[Block]:
    """The non-empty lines of a file with their offsets, markup stripped and blank-line gaps counted."""
    blocks: list[Block] = []
    pos = 0
    blanks = 0
    number = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            blanks += 1
            continue
        lead = len(line) - len(line.lstrip())
        content, inner, level, bold = _strip_markup(stripped)
        content = content.replace("**", "").strip()
        number += 1
        start = line_start + lead + inner
        if blocks:
            blocks[-1] = replace(blocks[-1], gap_after=blanks)
        kind = "heading" if (level or bold) else "body"
        blocks.append(
            Block(number, start, start + len(content), content, stripped, kind, level, gap_before=blanks)
        )
        blanks = 0
    if blocks:
        blocks[-1] = replace(blocks[-1], gap_after=blanks)
    return blocks


def _is_short_unterminated(text: str) -> bool:
    """Short, with no sentence mark inside or at the end: a heading, a caption, or half of a broken sentence."""
    return (
        len(text) <= HEADING_MAX and text[-1] not in CLAUSE_MARKS and not any(ch in TERMINALS for ch in text)
    )


# A heading does not end on a particle, preposition or conjunction, nor carry a figure with its unit.
_BROKEN_END = set("的了和与及或在为对将把被向从到达至给以于其之等并且而又还共每及、")
_FIGURE = figures.FIGURE


def _reads_as_broken(text: str) -> bool:
    """Whether a short line is half a sentence rather than a heading."""
    return text[-1] in _BROKEN_END or text[-1].isdigit() or bool(_FIGURE.search(text))


def classify(blocks: list[Block]) -> list[Block]:
    """Give every block its role; article titles are marked by `index.text.articles`, not here."""
    uses_markdown = any(b.md_level or b.raw.startswith("**") for b in blocks)
    out: list[Block] = []
    for i, block in enumerate(blocks):
        text = block.text
        kind = block.kind
        date = None
        header = _PAGE_HEADER.match(text)
        first = i == 0 or all(b.kind == "header" for b in out)
        if kind == "body" and is_table_row(text):
            pass  # a table row, whatever its length or ending
        elif header:
            kind = "header"
            date = (int(header.group(1)), int(header.group(2)), int(header.group(3)))
        elif text.startswith("——"):
            kind = "subtitle"
        elif _PHOTO_CREDIT.match(text):
            kind = "credit"
        elif _LABEL.match(text):
            kind = "label"
        elif kind == "heading":
            pass
        elif text.startswith("■") or text.startswith("本版撰文"):
            kind = "byline"
        elif _BYLINE.match(text) and len(text.replace(" ", "")) <= 16 and out and out[-1].kind == "subtitle":
            kind = "byline"
        elif (block.gap_before >= CAPTION_GAP and not first and len(text) <= CAPTION_MAX) or (
            block.gap_after >= CAPTION_GAP and _is_short_unterminated(text) and i + 1 < len(blocks)
        ):
            kind = "caption"
        elif _NUMBERED_HEADING.match(text) and _is_short_unterminated(text):
            kind = "heading"
        elif not uses_markdown and _is_short_unterminated(text) and not _reads_as_broken(text):
            kind = "short"  # a heading, or a sentence broken at a page end: decided by index.text.repair
        out.append(replace(block, kind=kind, date=date))
    return out
