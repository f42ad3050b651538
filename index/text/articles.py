"""Splitting a report into articles and reading each article's title, city and year."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..places.matcher import chain, count_places, find_places, place, present_name
from ..places.metadata import Declared
from .layout import Block
from .period import infer_period

# What dates a report, and nothing else (the years of the events it recounts do not): a page header's date,
# a title such as "2018年工作报告", or a date standing alone by the title (a dateline).
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?[^，。；]{0,16}?(?:工作报告|工作总结|报告|总结|综述)")
_DATELINE = re.compile(
    r"^[（(【\[—\-\s]*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?(?:\s*星期.)?[）)】\]\s]*$"
)
_OWN_UNION = re.compile(r"(?:市|县|区|州|省|旗|盟)?(?:总工会|工会|市总|县总|区总|省总)")
# A report of a union that names its level only (市总工会, 县总工会) is of the place of that level it names.
_UNNAMED_UNION = {
    "province": re.compile(r"省总|自治区总工会"),
    "prefecture": re.compile(r"市总|州总工会|盟总工会"),
    "county": re.compile(r"县总|区总|市总|旗总工会"),
}
HEAD_BLOCKS = 6  # a dateline stands among the first blocks of an article
TITLE_WEIGHT = 5  # a place named in the title outweighs passing mentions in the text
# An article is about the most specific place that holds at least this share of its parent's mentions
# (慈溪 over 宁波 when most mentions are Cixi's; 龙岩, not 长汀, for a Longyan report that recalls Changting).
SPECIFIC_SHARE = 0.5


@dataclass(frozen=True)
class Article:
    """One article of a report: its title, the city and year it is about, and its blocks in file order."""

    source: str
    number: int  # 0-based position within the file
    title: str
    city: str | None  # the place's label (慈溪, 郏县, 衢江): what the app and citations show
    year: int | None
    blocks: tuple[Block, ...]
    place: str | None = None  # the place's 6-digit division code
    date: str | None = None  # "2013", "2013-10" or "2013-10-15" when known
    declared: tuple[str, ...] = ()  # which of title, place, date the report's sidecar declared
    date_from: str | None = None  # what gave the date: declared, header, dateline, title or text (DATED_BY)
    date_evidence: str | None = None  # for a date read from the text: the sentence that gives it

    @property
    def place_chain(self) -> tuple[str, ...]:
        """The place and its parents as labels, most specific first: (慈溪, 宁波, 浙江)."""
        return tuple(p.label for p in chain(self.place)) if self.place else ()

    @property
    def place_now(self) -> str | None:
        """For a place that no longer exists (莱芜市), the current one it became part of (济南市莱芜区)."""
        return present_name(self.place) if self.place else None

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
        elif block.kind == "short" and _DATELINE.match(block.text.strip()):
            out[i] = replace(block, kind="label")  # a dateline under the title dates it; it is not a subtitle
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


def infer_place(title: str, blocks: list[Block] | tuple[Block, ...]) -> str | None:
    """The code of the most specific place the article is about, from the places its title and text name.

    Each mention counts for its place and every parent; from the province named most, go down to the child
    holding at least SPECIFIC_SHARE of its parent's count, as long as there is one. A place named once in
    passing, neither in the title nor as the union's own (XX县总工会), is not what the article is about: an
    enterprise's or a railway unit's report that mentions a county once has no place.
    """
    body = "\n".join(b.text for b in blocks if b.kind not in ("title", "subtitle"))
    mentions = find_places(body)
    counts = Counter(m.place.code for m in mentions)
    for code, n in count_places(title).items():
        counts[code] += n * TITLE_WEIGHT
    if not counts:
        return None
    subtree: dict[str, float] = {}
    children: dict[str | None, set[str]] = {}
    for code, n in counts.items():
        line = chain(code)
        for i, p in enumerate(line):
            subtree[p.code] = subtree.get(p.code, 0) + n
            children.setdefault(line[i + 1].code if i + 1 < len(line) else None, set()).add(p.code)
    best = max(children[None], key=lambda c: (subtree[c], c))
    while children.get(best):
        child = max(children[best], key=lambda c: (subtree[c], c))
        if subtree[child] < SPECIFIC_SHARE * subtree[best]:
            break
        best = child
    own = any(
        _OWN_UNION.match(body, m.end) for m in mentions if any(p.code == best for p in chain(m.place.code))
    )
    if subtree[best] < 2 and not own and not _UNNAMED_UNION[place(best).level].search(title + body):
        return None
    return best


# What can date an article, most trusted first; the last two are inferred (index.passage.INFERRED_DATES).
DATED_BY = ("declared", "header", "dateline", "title", "text")


@dataclass(frozen=True)
class Dated:
    """An article's date, what gave it (one of DATED_BY) and, when read from the text, the sentence."""

    date: str
    by: str
    evidence: str | None = None


def infer_date(title: str, blocks: list[Block] | tuple[Block, ...]) -> Dated | None:
    """What dates the article: a page header, a dateline, a title year, else the period its text recounts."""
    for block in blocks:
        if block.date:
            year, month, day = block.date
            return Dated(f"{year:04d}-{month:02d}-{day:02d}", "header")
    head = [b for b in blocks[:HEAD_BLOCKS] if b.kind != "body" or len(b.text) <= 30]
    for block in head:
        m = _DATELINE.match(block.text.strip())
        if m:
            return Dated(
                "-".join(f"{int(g):02d}" if i else g for i, g in enumerate(m.groups()) if g), "dateline"
            )
    m = _TITLE_YEAR.search(title)
    if m:
        return Dated(m.group(1), "title", title)
    period = infer_period(
        "\n".join([title, *(b.text for b in blocks if b.kind in ("body", "short", "subtitle"))])
    )
    return Dated(str(period.year), "text", period.evidence) if period else None


def split_articles(source: str, blocks: list[Block], declared: Declared | None = None) -> list[Article]:
    """Cut a classified report into articles (a level-1 title, or a title followed by a —— subtitle).

    Declared metadata (the report's sidecar) wins over what is read from the text, for every article.
    """
    declared = declared or Declared()
    declared_code = declared.place_code
    groups: list[list[Block]] = [[]]
    for i, block in enumerate(blocks):
        if _starts_article(blocks, i, groups[-1]):
            groups.append([])
        groups[-1].append(block)
    articles = []
    header = next((b for b in blocks if b.date), None)  # a page header dates every article of the file
    for number, group in enumerate(g for g in groups if g):
        title, marked = _title_block(group)
        code = declared_code or infer_place(title, marked)
        dated = (
            Dated(declared.date, "declared")
            if declared.date
            else infer_date(title, ([header] if header else []) + marked)
        )
        date = dated.date if dated else None
        articles.append(
            Article(
                source,
                number,
                declared.title or title,
                place(code).label if code else None,
                int(date[:4]) if date else None,
                tuple(marked),
                place=code,
                date=date,
                declared=declared.fields,
                date_from=dated.by if dated else None,
                date_evidence=dated.evidence if dated else None,
            )
        )
    return articles
