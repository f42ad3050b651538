"""Candidate answer spans in a sentence: numbers with units, dates, person names, organisations, lists, quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import figures
from index.places import chain, find_places

from .lexical import entities, words

DATE = re.compile(
    r"(?:每年的?)?(?:(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?|初|底|末|年中|上半年|下半年)?|(?:今年|去年|当年)?\d{1,2}月(?:\d{1,2}日|初|底|中旬|上旬|下旬)?)"
)

# --- people ---------------------------------------------------------------------------------------
_TITLES = (
    "常务副主席 副主席 主席 党组书记 书记 副书记 副主任 主任 副市长 市长 常委 局长 院长 校长 董事长 总经理 "
    "劳模 全国劳模 省劳模 工匠 代表 同志 记者 主持人"
).split()
_TITLE = "(?:" + "|".join(sorted(_TITLES, key=len, reverse=True)) + ")"

# --- organisations, places, documents, quoted names ------------------------------------------------
QUOTED = re.compile(r"[《“「]([^《》“”「」]{2,40})[》”」]")
HONOR = re.compile(
    r"(?:评为|授予|荣获|获得|获评|命名为|被评为|称为)([^，。；,;]{2,40}?)(?:称号|荣誉称号|荣誉|$|[，。；,;])"
)
_ITEM = r"[^，。；：:,;、“”()（）《》]{1,16}"
ENUMERATION = re.compile(rf"{_ITEM}(?:、{_ITEM}){{1,12}}(?:(?:及|和|与|以及){_ITEM})?")
_PLACE_BEFORE = ("在", "于", "到", "赴")  # 在长汀宣告成立: a place where something happened


@dataclass(frozen=True)
class Span:
    """A candidate answer: [start, end) in the sentence, its text and what it is."""

    start: int
    end: int
    text: str
    kind: str  # number, date, person, people, org, headed, place, quote, honor, list, ordinal, tail, city
    unit: str | None = None
    label: str | None = None  # for a person, the title before the name


def numbers(sentence: str) -> list[Span]:
    """Figures with their qualifiers and units (95%以上, 14690家, 1.4亿元, 36元至100元, 十六次); dates left out."""
    spans = []
    in_dates = [(d.start, d.end) for d in dates(sentence)]
    for m in figures.NUMBER.finditer(sentence):
        text = m.group().strip()
        if not re.search(r"\d", text) or any(a <= m.start() and m.end() <= b for a, b in in_dates):
            continue
        after = sentence[m.end() : m.end() + 1]
        unit = figures.unit_of(text)
        if unit == "年" and re.fullmatch(r"(?:19|20)\d{2}年", text):
            continue  # a calendar year, not a count
        if after in "月" and unit is None:
            continue
        spans.append(Span(m.start(), m.start() + len(text), text, "number", unit))
    for m in figures.CHINESE_NUMBER.finditer(sentence):
        if figures.chinese_value(m.group(1)) is not None:
            spans.append(Span(m.start(), m.end(), m.group(), "number", figures.unit_of(m.group())))
    return spans


def dates(sentence: str) -> list[Span]:
    return [
        Span(m.start(), m.end(), m.group(), "date")
        for m in DATE.finditer(sentence)
        if re.search(r"\d", m.group())
    ]


_TITLE_BEFORE = re.compile(rf"({_TITLE}(?:、(?:市总工会|总工会)?{_TITLE})*)$")
_TITLE_ANY = re.compile(_TITLE)


def title_in(text: str) -> str | None:
    """The first title a text names (主席, 常务副主席): what a person question asks for."""
    match = _TITLE_ANY.search(text)
    return match.group() if match else None


def people(sentence: str) -> list[Span]:
    """Person names (LAC's PER), each with the chain of titles right before it, if any, as its label."""
    out = []
    for w in entities(sentence, "PER"):
        if not 2 <= len(w.text) <= 4:
            continue
        title = _TITLE_BEFORE.search(sentence[: w.start])
        out.append(Span(w.start, w.end, w.text, "person", label=title.group(1) if title else None))
    return out


def name_lists(names: list[Span]) -> list[Span]:
    """Runs of names joined by 、/和/与/及 (都有谁 asks for every one), as one span each."""
    out = []
    run: list[Span] = []
    for span in sorted(names, key=lambda s: s.start) + [None]:
        if span is not None and run and span.start - run[-1].end <= 2 and run[-1].end <= span.start:
            run.append(span)
            continue
        if len(run) > 1:
            sentence_text = "、".join(s.text for s in run)
            out.append(Span(run[0].start, run[-1].end, sentence_text, "people", label=str(len(run))))
        run = [span] if span is not None else []
    return out


def organisations(sentence: str) -> list[Span]:
    """Organisations (LAC's ORG), two joined by 联合/和/与/及 cut apart."""
    return [Span(w.start, w.end, w.text, "org") for w in entities(sentence, "ORG") if len(w.text) >= 2]


def places(sentence: str) -> list[Span]:
    """Places: LAC's LOC, and the divisions index.places knows after 在/于/到/赴."""
    out = [Span(w.start, w.end, w.text, "place") for w in entities(sentence, "LOC") if len(w.text) >= 2]
    for m in find_places(sentence):
        if m.start > 0 and sentence[m.start - 1] in _PLACE_BEFORE:
            out.append(Span(m.start, m.end, m.text, "place"))
    return out


# Words that may stand in a name before its head noun: nouns, names, places, numerals, adjectives.
_NAME_TAGS = ("n", "nz", "ns", "nt", "nw", "PER", "LOC", "ORG", "j", "m", "a", "an", "vn", "f", "s", "b")
_HEAD_FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("学校", "院校", "大学", "高校"), ("学院", "大学", "学校", "中学", "小学", "院校")),
    (("企业", "公司"), ("公司", "集团", "企业", "厂")),
    (("工会组织", "工会"), ("工会", "工会联合会", "联合会")),
    (("单位", "部门", "机构", "组织"), ("局", "委", "厅", "办", "部", "院", "会", "中心", "公司", "集团")),
)


def head_family(noun: str) -> tuple[str, ...]:
    """Heads that name the same kind of thing as the asked noun: 学校 -> 学院, 大学, …; () when none."""
    for nouns, heads in _HEAD_FAMILIES:
        if noun in nouns:
            return heads
    return ()


def headed(sentence: str, noun: str | None) -> list[Span]:
    """Noun phrases headed by the asked noun or its family (什么宣讲团 -> …宣讲团, 哪所学校 -> …学院)."""
    heads = (noun,) + head_family(noun) if noun else ()
    if not any(head in sentence for head in heads):
        return []  # nothing to head a phrase: no need to tag the sentence
    tagged = words(sentence)
    ends = {w.end for w in tagged}
    out = []
    for head in heads:
        pos = sentence.find(head)
        while pos >= 0:
            end = pos + len(head)
            first = next((i for i, w in enumerate(tagged) if w.start <= pos < w.end), None)
            if end in ends and first is not None:
                j = first
                while (
                    j > 0
                    and end - tagged[j - 1].start <= 24
                    and (tagged[j - 1].tag in _NAME_TAGS or tagged[j - 1].text in "“”《》")
                ):
                    j -= 1
                start = min(tagged[j].start, pos)
                if end - start > len(head):
                    out.append(Span(start, end, sentence[start:end], "headed"))
            pos = sentence.find(head, pos + 1)
    return out


def quoted(sentence: str) -> list[Span]:
    out = [Span(m.start(), m.end(), m.group(), "quote") for m in QUOTED.finditer(sentence)]
    for m in HONOR.finditer(sentence):
        text = m.group(1).strip()
        if text:
            out.append(Span(m.start(1), m.start(1) + len(text), text, "honor"))
    return out


def enumerations(sentence: str) -> list[Span]:
    """Lists of items joined by 、 (and a last 及/和); `label` holds the item count."""
    out = []
    for m in ENUMERATION.finditer(sentence):
        items = len(re.split(r"、|及|以及|和|与", m.group()))
        out.append(Span(m.start(), m.end(), m.group(), "list", label=str(items)))
    return out


def ordinal_items(sentence: str, numeral: str, head: str) -> list[Span]:
    """The item a 第N… question asks for: from "N<head>" to the end of its clause (八送温馨)."""
    out = []
    for m in re.finditer(re.escape(numeral + head), sentence):
        end = re.search(r"[，,。；;：:]", sentence[m.start() :])
        stop = m.start() + (end.start() if end else len(sentence) - m.start())
        if stop - m.start() <= 20:
            out.append(Span(m.start(), stop, sentence[m.start() : stop], "ordinal"))
    return out


units_compatible = figures.units_compatible


def city_mentions(sentence: str) -> list[Span]:
    """Cities named in the sentence, as the city (a county, district or nickname counts for its city)."""
    out = []
    for m in find_places(sentence):
        city = next((p for p in chain(m.place.code) if p.level != "county"), m.place)
        if city.level == "province" and not city.name.endswith("市"):
            continue  # 哪个市 is answered by a city (a municipality is one), not a province
        out.append(Span(m.start, m.end, city.label, "place"))
    return out
