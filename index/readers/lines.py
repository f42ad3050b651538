"""Paragraphs to report text: one paragraph a line, blank lines between, headings as markdown lines.

The text this writes is what the layout step reads and what passage offsets point into, so it must be the
same for the same file on every run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# Control characters, and the private use area, where symbol fonts (Wingdings) put bullets and arrows: no text.
_CONTROLS = dict.fromkeys([*(c for c in range(32) if c not in (9, 10)), *range(0xE000, 0xF900)])
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Line:
    """One visual line of text on a page, with its box (PDF points, top-down) and font size."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float
    parts: tuple[tuple[float, float, str], ...] = ()  # its words (x0, x1, text): where a table's cells part


@dataclass(frozen=True)
class Para:
    """One paragraph of a document: its text and heading level (0 body, 1 the title, 2 a heading)."""

    text: str
    level: int = 0


def spaced(left: str, right: str) -> bool:
    """Whether two characters joined from separate lines or words keep a space: both Latin letters or digits."""
    return bool(_ASCII_WORD.match(left) and _ASCII_WORD.match(right))


def join_lines(lines: Iterable[str]) -> str:
    """Visual lines of one paragraph as one line: Chinese joins directly, Latin words keep one space."""
    out = ""
    for line in lines:
        line = clean(line)
        if not line:
            continue
        if out and spaced(out[-1], line[0]):
            out += " "
        out += line
    return out


def clean(text: str) -> str:
    """One line: control characters and line breaks out, runs of spaces as one, ends trimmed."""
    text = unicodedata.normalize("NFC", text).translate(_CONTROLS).replace("\n", " ")
    return _SPACES.sub(" ", text).strip()


def render(paras: Iterable[Para]) -> str:
    """The report text: `# title`, `## heading` or the body text, one a line, a blank line between."""
    out = []
    for para in paras:
        text = clean(para.text)
        if not text:
            continue
        if para.level == 0 and text.startswith("#"):
            text = "＃" + text[1:]  # a body line starting with # would read as a markdown heading
        out.append(("#" * para.level + " " if para.level else "") + text)
    return "\n\n".join(out) + "\n" if out else ""


def mark_headings(paras: list[Para]) -> list[Para]:
    """The first heading before any body text is the title (level 1); every other heading is level 2."""
    out = []
    seen_body = False
    for para in paras:
        if para.level and not seen_body and not any(p.level == 1 for p in out):
            out.append(Para(para.text, 1))
            continue
        seen_body = seen_body or para.level == 0
        out.append(Para(para.text, 2) if para.level else para)
    return out
