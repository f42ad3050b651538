"""Splitting a report into articles and reading each article's title, city and year."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..places.matcher import Mention, chain, find_places, place, present_name
from ..places.metadata import Declared
from .figures import YEAR
from .layout import HEADING_MAX, TERMINALS, Block
from .patterns import HAN, NUMERALS
from .period import infer_period
from .split import sentence_spans

# What dates a report, and nothing else (the years of the events it recounts do not): a page header's date,
# a title such as "2018年工作报告", or a date standing alone by the title (a dateline).
_TITLE_YEAR = re.compile(rf"({YEAR})\s*年度?[^，。；]{{0,16}}?(?:工作报告|工作总结|报告|总结|综述)")
_DATELINE = re.compile(
    rf"^[（(【\[—\-\s]*({YEAR})\s*年\s*(\d{{1,2}})\s*月(?:\s*(\d{{1,2}})\s*日)?(?:\s*星期.)?[）)】\]\s]*$"
)
_HAN = re.compile(HAN)
_DOC_NUMBER = re.compile(rf"[〔［\[【(（]\s*{YEAR}\s*[〕］\]】)）]\s*\d{{1,4}}\s*号$")
_STANDARD_KIND = re.compile(r"(?:国家|行业|地方|团体|企业)标准$")
_ISSUED = re.compile(r"^(?:\S*\d{4}[-.年]\d{1,2}[-.月]\d{1,2}日?\s*(?:发布|实施)\s*)+$|^\S{2,20}\s+发\s*布$")
# A numbered section's heading (1 范围, 一、, 第一章, 附录A) opens the text; it is no subtitle.
_SECTION = re.compile(
    rf"^(?:\d{{1,2}}(?:\.\d{{1,2}})*\s|[{NUMERALS}]{{1,3}}[、.．]|第[{NUMERALS}\d]{{1,3}}[章节条部]|附\s*录)"
)
# A report of a union that names its level only (市总工会, 县总工会) is of the place of that level it names.
_UNNAMED_UNION = {
    "province": re.compile(r"省总|自治区总工会"),
    "prefecture": re.compile(r"市总|州总工会|盟总工会"),
    "county": re.compile(r"县总|区总|市总|旗总工会"),
}
HEAD_BLOCKS = 6  # a dateline stands among the first blocks of an article
# The opening that says what an article is about; later text recounts, compares and quotes (郑万荣 in a story
# is not 万荣). 200 characters hold a report's first sentence or two.
OPENING_CHARS = 200
# A place that names a union (永安市总工会, 拉萨市总, 郏县工会): the report's own organisation, wherever it stands.
_UNION = re.compile(r"[市县区省州盟旗]?(?:总工会|工会|总(?!书记|经理|理|结|计|体|数|量|额|部|队))")
# A place inside a company's name (某某武汉汽车有限公司, 宁波某港口集团) that is not the union's own (no 工会
# after it, no 工会/与/和/联合 inside it) says where the company is, not what the report is about: it counts half
# a passing mention. A union's own name (宁波市总工会与某集团…) is read first.
_COMPANY = re.compile(
    r"(?:(?!工会|与|和|联合)[^\s，。、；：,.;:“”\"（）()]){0,10}?(?:公司|集团)(?!\S{0,6}工会)"
)
COMPANY_WEIGHT = 0.5
TITLE_WEIGHT = 5  # a place named in the title outweighs passing mentions in the text
# A place named where the text says what it is about (its opening, its union's name) outweighs a sidebar's
# mentions: with 3, a title and a union's name hold off a six-mention sidebar, and the training reports placed
# by their passing mentions alone (市总工会 news) keep their places (all 50 articles as before).
OPENING_WEIGHT = 3
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


def _front_matter(text: str, *, before_title: bool) -> bool:
    """A cover's line that is no title: a code (ICS 27.120.99, GB/T 12345—2020, F 09), a document number
    (闽工〔2021〕12号), a standard's kind (中华人民共和国国家标准), or when it was issued (2020-10-23发布)."""
    text = text.strip()
    if _ISSUED.search(text):
        return True
    if not before_title:
        return False
    return len(_HAN.findall(text)) < 2 or bool(_DOC_NUMBER.search(text) or _STANDARD_KIND.search(text))


def _paragraph(block: Block) -> bool:
    """A body block too long for a heading and holding a sentence's end: text, not a title line."""
    return block.kind == "body" and len(block.text) > HEADING_MAX and any(c in TERMINALS for c in block.text)


def _title_block(blocks: list[Block]) -> tuple[str, list[Block]]:
    """Mark the title, subtitles and front-matter captions at the head of an article; return the title text."""
    out = list(blocks)
    parts: list[str] = []
    has_subtitle = False
    for i, block in enumerate(out):
        if block.kind in ("header", "byline", "credit", "caption", "label"):
            continue
        if _front_matter(block.text, before_title=not parts):
            out[i] = replace(block, kind="label")
            continue
        if not parts and _paragraph(block):
            # A report that opens on its text (a news item's first paragraph) has no title line: the paragraph
            # stays text (taken as the title it was never indexed: 11 of the 972 world questions asked it) and
            # its first sentence is shown as the title.
            start, end = sentence_spans(block.text)[0]
            parts.append(block.text[start:end].rstrip(TERMINALS))
            break
        if not parts:
            out[i] = replace(block, kind="title")
            parts.append(block.text)
        elif block.kind == "subtitle":
            parts.append(block.text)
            has_subtitle = True
        elif (
            block.kind == "heading"
            and block.md_level >= 2
            and not has_subtitle
            and not _SECTION.match(block.text)
        ):
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


def _place_evidence(title: str, blocks: list[Block] | tuple[Block, ...]) -> tuple[Counter[str], Counter[str]]:
    """Each place's weight of mention where the text says what it is about (TITLE_WEIGHT in the title,
    OPENING_WEIGHT in the first OPENING_CHARS or naming a union: 永安市总工会), and elsewhere (1 each: a sidebar
    on 台湾, a place recalled in passing). A short form inside a word (长寿期) never counts."""
    text = title + "\n" + "\n".join(b.text for b in blocks if b.kind not in ("title", "subtitle"))
    opening_end = len(title) + 1 + OPENING_CHARS
    about: Counter[str] = Counter()
    passing: Counter[str] = Counter()
    mentions = find_places(text, strict=True)
    named = {m.place.code for m in mentions}
    for m in mentions:
        if m.end <= len(title):
            about[m.place.code] += TITLE_WEIGHT
        elif not _supported(m, text, named):
            continue
        elif _UNION.match(text, m.end):
            about[m.place.code] += OPENING_WEIGHT
        elif _COMPANY.match(text, m.end):
            passing[m.place.code] += COMPANY_WEIGHT
        elif m.end <= opening_end:
            about[m.place.code] += OPENING_WEIGHT
        else:
            passing[m.place.code] += 1
    return about, passing


def _supported(m: Mention, text: str, named: set[str]) -> bool:
    """A county's short form (龙城, no 区 written) names it only beside its full name or a parent named in the
    text: alone it is as likely a city's nickname or a word (a 龙城 report of 柳州 is not 朝阳's 龙城区)."""
    p = m.place
    if p.level != "county" or m.text != p.short or p.short == p.name or p.name in text:
        return True
    return any(q.code in named for q in chain(p.code)[1:])


def infer_place(title: str, blocks: list[Block] | tuple[Block, ...]) -> str | None:
    """The code of the most specific place the article is about, or None when it names none (the form asks).

    Each mention counts for its place and every parent. From the top, each step goes to the child the title,
    opening and union's name weigh most (then all mentions), while it holds at least SPECIFIC_SHARE of its
    parent's count: passing mentions refine a place the head names, never replace it.
    """
    about, passing = _place_evidence(title, blocks)
    if not about and not passing:
        return None
    subtree: dict[str, float] = {}
    head: dict[str, float] = {}
    children: dict[str | None, set[str]] = {}
    for code, n in (about + passing).items():
        line = chain(code)
        for i, p in enumerate(line):
            subtree[p.code] = subtree.get(p.code, 0) + n
            head[p.code] = head.get(p.code, 0) + about.get(code, 0)
            children.setdefault(line[i + 1].code if i + 1 < len(line) else None, set()).add(p.code)

    def weight(c: str) -> tuple[float, float, str]:
        return head[c], subtree[c], c

    best = max(children[None], key=weight)
    while children.get(best):
        child = max(children[best], key=weight)
        if subtree[child] < SPECIFIC_SHARE * subtree[best]:
            break
        best = child
    # A place named once in passing, neither in the title, the opening nor as a union's own (XX县总工会), is not
    # what the article is about: an enterprise's or a railway unit's report that mentions a county once has none.
    body = "\n".join(b.text for b in blocks if b.kind not in ("title", "subtitle"))
    if not head[best] and subtree[best] < 2 and not _UNNAMED_UNION[place(best).level].search(title + body):
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
