"""Reading a question: clean it, find the cities, year and kind of answer it asks for, and its key terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.places import Mention, find_places
from index.textnorm import normalize, to_simplified, tokenize

MAX_QUESTION_CHARS = 500
# NFKC turns one character into up to 18 (U+FDFA) and whitespace runs into one: the raw text is cut to a few
# times the limit before it is normalised, so a 1e6-character question costs what a 2,000-character one does.
RAW_QUESTION_CHARS = 4 * MAX_QUESTION_CHARS

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_LATEST = re.compile(r"最新|目前|现在|当前|最近|如今|现阶段")
# Order matters: a date question may say 几月, a number question 几.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "date",
        re.compile(
            r"何时|什么时候|哪天|哪一天|哪一年|哪年|几月|几号|哪个月|什么时间|日期|何年|哪一日|什么日子|起始时间|时间是"
        ),
    ),
    ("city", re.compile(r"哪个市|哪个城市|哪些城市|哪座城市|哪些市|哪一个市")),
    (
        "place",
        re.compile(
            r"什么称号|什么荣誉|什么奖|什么文件|什么名字|叫什么|什么平台|什么单位|什么机构|哪个工会|哪级工会|哪个部门|哪个组织|哪个机构|哪所|哪家|哪个单位|哪些单位|被谁|由谁"
        ),
    ),
    ("person", re.compile(r"谁|哪位|姓名")),
    (
        "number",
        re.compile(
            r"多少|几[个家项名人次户件场所条份支期年万]?|比例|比率|占比|百分之|[^效频]率(?:是|为|达|有)?|数量|规模|金额|标准|多高|多大|多长|总数|人数|户数"
        ),
    ),
    (
        "place",
        re.compile(
            r"哪里|哪儿|哪家|哪个单位|哪些单位|哪个部门|哪些部门|什么地方|在哪|何地|哪个地方|哪所|哪个机构|什么单位|哪些企业|哪个企业|哪个村|哪个学院|和谁|与谁|被谁|谁评"
        ),
    ),
    ("definition", re.compile(r"什么|哪些|怎样|如何|怎么|内容|含义|指的是|是指|包括|有哪")),
)
# What a number question counts: 多少家 -> 家, 比例 -> %.
_UNIT_HINT = re.compile(
    r"(?:多少|几)\s*(万|亿)?\s*(家|个|人次|人|名|户|项|件|场次|场|次|元|万元|亿元|所|条|份|支|期|天|年|册|篇|起|岗|位|座)"
)
_RATE = re.compile(r"率|比例|占比|百分之|覆盖面|百分比")
_MONEY = re.compile(r"资金|金额|经费|钱|元|补助金|慰问金|助学金|款|津贴|效益|费|收益|价值")
_NUMBER_LIKE = re.compile(r"号码|编号|电话是多少|热线是多少")
# The noun a count question counts tells its unit: 多少职工 -> people, 多少企业 -> organisations.
_COUNTED = (
    (re.compile(r"^(?:钱|资金|经费|工会经费|会费|金额|款|补助|补贴|津贴|慰问金|助学金|助学款)"), "元"),
    (
        re.compile(
            r"^(?:名|位)?(?:困难)?(?:职工|人|学生|会员|劳模|农民工|子女|干部|律师|工匠|劳动者|员工|孩子|先进|代表|工会主席)"
        ),
        "名",
    ),
    (
        re.compile(
            r"^(?:家|个)?(?:企业|单位|公司|基层工会|工会组织|工会|基地|站点|驿站|园区|职工书屋|书屋|工作室|集体)"
        ),
        "家",
    ),
    (re.compile(r"^(?:户|个)?(?:困难)?(?:家庭|户)"), "户"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]")
_FILLER = re.compile(
    r"[那么呢吗的又和跟与请问市呀啊吧哦，,。？?！!、\s]|怎么样|如何|情况|的话|方面|这个|那个|工会|总工会"
)


@dataclass(frozen=True)
class Question:
    """A question as the retriever and the extractor see it."""

    text: str  # cleaned (simplified, NFKC), cut to MAX_QUESTION_CHARS
    original: str
    cities: tuple[str, ...]  # labels of the places it names, most specific only (郏县 for 河南平顶山郏县)
    year: int | None
    latest: bool
    kind: str  # number, date, person, place, definition
    unit: str | None  # the unit a number question counts in, e.g. 家, %, 元
    terms: tuple[str, ...]  # content tokens, cities and question words left out
    truncated: bool = False
    counted: str | None = None  # the noun a count question counts: 多少名困难职工 -> 困难职工
    synonyms: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # term -> the report's other words for it
    places: tuple[str, ...] = ()  # division codes of the places it names, most specific only

    @property
    def city(self) -> str | None:
        return self.cities[0] if self.cities else None


def clean(text: str) -> tuple[str, bool]:
    """Simplified, NFKC-normalised text without control characters, cut to MAX_QUESTION_CHARS.

    The raw text is cut to RAW_QUESTION_CHARS before anything else, so the cost is bounded whatever its length.
    """
    raw = text.strip()
    text = normalize(to_simplified(_CONTROL.sub(" ", raw[:RAW_QUESTION_CHARS])))
    truncated = len(raw) > RAW_QUESTION_CHARS or len(text) > MAX_QUESTION_CHARS
    return text[:MAX_QUESTION_CHARS], truncated


def question_kind(text: str) -> str:
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "definition"


def unit_hint(text: str, kind: str) -> str | None:
    if kind != "number":
        return None
    if _NUMBER_LIKE.search(text):
        return "#"
    match = _UNIT_HINT.search(text)
    if match and match.group(2) != "个":  # 个 counts anything: read the noun after it instead
        unit = match.group(2)
        return (match.group(1) or "") + unit if unit in ("元",) and match.group(1) else unit
    after = re.search(r"(?:多少|几)(.{0,6})", text)
    if after:
        for pattern, unit in _COUNTED:
            if pattern.search(after.group(1)):
                return unit
    if _RATE.search(text):
        return "%"
    if _MONEY.search(text):
        return "元"
    return None


_VAGUE_TIME = re.compile(r"这几年|近几年|前几年|几年来|这些年|多年来|近年来|这两年")


def question_places(text: str, prefer=()) -> list[Mention]:
    """The places a (cleaned) question names: the one place matcher, reading it as a question."""
    return find_places(text, prefer=prefer, question=True)


def parse(text: str, *, prefer=()) -> Question:
    """Read a question (already validated as a non-empty string).

    `prefer`: codes of the covered places, to read an ambiguous name (鼓楼) as the covered one.
    """
    from .scope import most_specific

    cleaned, truncated = clean(text)
    asked = _VAGUE_TIME.sub("", cleaned)  # "这几年…多少" asks a figure, not a number of years
    mentions = question_places(cleaned, prefer)
    codes = most_specific(m.place.code for m in mentions)
    cities = tuple(next(m.place.label for m in mentions if m.place.code == c) for c in codes)
    year_match = _YEAR.search(cleaned)
    year = int(year_match.group(1)) if year_match else None
    kind = question_kind(asked)
    named = {m.text for m in mentions} | {f for m in mentions for f in (m.place.name, m.place.short)}
    # Place names are cut out before tokenising (漳州市级劳模 would give 州市/级, losing 市级), and years are
    # left to the retriever's year awareness: as terms they would outweigh the topic.
    topic = _cut(asked, question_places(asked, prefer))
    terms = tuple(
        t
        for t in dict.fromkeys(tokenize(topic))
        if t not in named and not any(c in t for c in named) and not re.fullmatch(r"(?:19|20)\d{2}年?", t)
    )
    counted = re.search(
        r"(?:多少|几)(?:万|亿)?[名个家户位项人]?([\u4e00-\u9fff]{2,6}?)(?:[?？。，,]|$|得到|参加|获得|实现|被|在|有|是)",
        asked,
    )
    from .thesaurus import related

    synonyms = {t: related(t) for t in terms if related(t)}
    return Question(
        synonyms=synonyms,
        counted=counted.group(1) if counted and kind == "number" else None,
        text=cleaned,
        original=text,
        cities=cities,
        year=year,
        latest=bool(_LATEST.search(cleaned)),
        kind=kind,
        unit=unit_hint(asked, kind),
        terms=terms,
        truncated=truncated,
        places=codes,
    )


def _cut(text: str, mentions: list[Mention], replacement: str = " ") -> str:
    out, pos = [], 0
    for m in mentions:
        out += [text[pos : m.start], replacement]
        pos = m.end
    return "".join(out) + text[pos:]


def is_follow_up(text: str | Question) -> bool:
    """A bare city or year with 那…呢 (那龙岩呢？, 衢州呢, 2018年呢): it reuses the previous question.

    A parsed Question is read as it is, so a chat cleans each question once.
    """
    cleaned = text.text if isinstance(text, Question) else clean(text)[0]
    found = question_places(cleaned)
    rest = _YEAR.sub("", _cut(cleaned, found, ""))
    rest = _FILLER.sub("", rest)
    mentions = bool(found) or bool(_YEAR.search(cleaned))
    return mentions and len(rest) <= 1 and len(cleaned) <= 20
