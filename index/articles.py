"""Splitting a report into articles and reading each article's title, city and year."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .layout import Block
from .places import count_cities

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*(?:年|~|～|－|—|-\d))")
# The Party congresses a report mentions date it: a text that looks back on the 20th congress is from 2022 on.
_CONGRESS = re.compile(r"(?:党的|喜迎|迎接党的|贯彻党的)(十[六七八九]|二十)大")
CONGRESS_YEARS = {"十六": 2002, "十七": 2007, "十八": 2012, "十九": 2017, "二十": 2022}
TITLE_WEIGHT = 5  # a city named in the title outweighs passing mentions in the text


@dataclass(frozen=True)
class Article:
    """One article of a report: its title, the city and year it is about, and its blocks in file order."""

    source: str
    number: int  # 0-based position within the file
    title: str
    city: str | None
    year: int | None
    blocks: tuple[Block, ...]

    @property
    def body(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind in ("body", "short"))


def _starts_article(blocks: list[Block], i: int, current: list[Block]) -> bool:
    if not any(b.kind in ("body", "short") for b in current):
        return False
    block = blocks[i]
    if block.md_level == 1:
        return True
    following = blocks[i + 1] if i + 1 < len(blocks) else None
    return following is not None and following.kind == "subtitle" and block.kind in ("heading", "short")


def _title_block(blocks: list[Block]) -> tuple[str, list[Block]]:
    """Mark the title, subtitles and front-matter captions at the head of an article; return the title text."""
    out = list(blocks)
    parts: list[str] = []
    has_subtitle = False
    for i, block in enumerate(out):
        if block.kind in ("header", "byline", "credit", "caption", "label"):
            continue
        if not parts:
            out[i] = replace(block, kind="title")
            parts.append(block.text)
        elif block.kind == "subtitle":
            parts.append(block.text)
            has_subtitle = True
        elif block.kind == "heading" and block.md_level >= 2 and not has_subtitle:
            out[i] = replace(block, kind="subtitle")
            parts.append(block.text)
        elif block.kind == "short" and not has_subtitle:
            out[i] = replace(block, kind="subtitle")
            parts.append(block.text)
            has_subtitle = True
        elif block.kind == "short":
            out[i] = replace(block, kind="caption")  # a photo caption between the title and the text
        else:
            break
    title = parts[0] if parts else ""
    for extra in parts[1:]:
        title += extra if extra.startswith("——") else "——" + extra
    return title, out


def _city(title: str, blocks: list[Block]) -> str | None:
    counts = count_cities(" ".join(b.text for b in blocks))
    for city, n in count_cities(title).items():
        counts[city] += n * TITLE_WEIGHT
    return counts.most_common(1)[0][0] if counts else None


def _year(blocks: list[Block]) -> int | None:
    for block in blocks:
        if block.date:
            return block.date[0]
    years = [int(m.group(1)) for b in blocks for m in _YEAR.finditer(b.text)]
    years += [CONGRESS_YEARS[m.group(1)] for b in blocks for m in _CONGRESS.finditer(b.text)]
    return max(years) if years else None


def split_articles(source: str, blocks: list[Block]) -> list[Article]:
    """Cut a classified report into articles (a level-1 title, or a title followed by a —— subtitle)."""
    groups: list[list[Block]] = [[]]
    for i, block in enumerate(blocks):
        if _starts_article(blocks, i, groups[-1]):
            groups.append([])
        groups[-1].append(block)
    articles = []
    header_date = next((b.date for b in blocks if b.date), None)
    for number, group in enumerate(g for g in groups if g):
        title, marked = _title_block(group)
        year = header_date[0] if header_date else _year(marked)
        articles.append(Article(source, number, title, _city(title, marked), year, tuple(marked)))
    return articles
