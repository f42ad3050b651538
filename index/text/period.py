"""The year a report covers, read from its text when nothing dates it: the latest year it recounts, with the sentence.

A report without a declared date or a page header still says when it was written: a year in review
(`2014年，全市…`, `回望2024年`, `至2014年底`) is a report of the year after; any other year it names as done
or under way (`2019年“金秋助学”仪式举行`, `2018年以来`) is a year it covers; a national congress it greets or
studies (`喜迎十九大`, `中国工会十七大精神`) is a year it cannot precede. The report's year is the latest of these.
Rules chosen on the 40 training reports with their sidecars hidden (python -m eval.years): see README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .figures import YEAR

# A year in review opens its sentence (年鉴 entries: 2014年，慈溪市…) or is looked back on: the report is of the next.
_REVIEW = re.compile(
    rf"(?:^|[。！？；】\s])\s*({YEAR})\s*年度?\s*[,，]"
    rf"|(?:回望|回顾|总结|盘点)\s*({YEAR})\s*年"
    rf"|(?:至|截至|截止|到)\s*({YEAR})\s*年\s*(?:底|末|12月31日)"
)
_YEAR = re.compile(rf"({YEAR})\s*年")
# A year the sentence plans for (到2025年将…, 2035年远景目标) is not one the report covers.
_PLAN = re.compile(r"将|力争|计划|目标|规划|预计|远景|展望")
_PLANNED_YEAR = re.compile(rf"(?:到|至)\s*({YEAR})\s*年|({YEAR})\s*年(?:前|远景)")
EARLIEST = 1990  # founding dates (1949年5月成立) say nothing about when a report was written

# National congresses and the year each met: the Communist Party's (党的十九大) and the trade unions'
# (中国工会十七大), from their published dates. A report greeting or studying one is of that year or later.
PARTY_CONGRESSES = {"十五": 1997, "十六": 2002, "十七": 2007, "十八": 2012, "十九": 2017, "二十": 2022}
UNION_CONGRESSES = {"十三": 1998, "十四": 2003, "十五": 2008, "十六": 2013, "十七": 2018, "十八": 2023}
_ORDINAL = r"(二十|十[三四五六七八九])"  # 十三–二十: every congress of the tables above
_CONGRESS = re.compile(rf"(?:第)?{_ORDINAL}(?:次全国代表大会|大)")
# Only a congress named as national (中国工会…, 党的…) or greeted or studied as such (喜迎十九大) is one: a local
# one (市工会十六大, 自治区第十三次党代会) has no year we know.
_UNION_BEFORE = re.compile(r"中国工会$")
_PARTY_BEFORE = re.compile(r"(?:党的|中共|喜迎|迎接|学习|贯彻|宣传|落实|庆祝|[“\s（(])$")
# A passage speaking of its report's own year (今年以来…): with an inferred year, the year it states figures for.
THIS_YEAR = re.compile(r"今年|本年度|当年")
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


@dataclass(frozen=True)
class Period:
    """The year a report is of, read from its text, and the sentence that says so."""

    year: int
    evidence: str  # the sentence, as written
    rule: str  # review (a year looked back on), named (a year recounted), congress (a national congress)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _congress_year(sentence: str) -> int | None:
    years = []
    for m in _CONGRESS.finditer(sentence):
        before = sentence[max(0, m.start() - 4) : m.start()]
        if _UNION_BEFORE.search(before):
            years.append(UNION_CONGRESSES.get(m.group(1)))
        elif m.start() == 0 or _PARTY_BEFORE.search(before):
            years.append(PARTY_CONGRESSES.get(m.group(1)))
    years = [y for y in years if y]
    return max(years) if years else None


def candidates(text: str) -> list[Period]:
    """Every year the text gives for itself, one per sentence and rule, in text order."""
    out: list[Period] = []
    for sentence in _sentences(text):
        planned = {int(y) for m in _PLANNED_YEAR.finditer(sentence) for y in m.groups() if y}
        planning = bool(_PLAN.search(sentence))
        reviewed = {int(next(g for g in m.groups() if g)) for m in _REVIEW.finditer(" " + sentence)}
        for year in sorted(reviewed):
            out.append(Period(year + 1, sentence, "review"))
        for m in _YEAR.finditer(sentence):
            year = int(m.group(1))
            if year < EARLIEST or year in reviewed or (planning and year in planned):
                continue
            out.append(Period(year, sentence, "named"))
        congress = _congress_year(sentence)
        if congress:
            out.append(Period(congress, sentence, "congress"))
    return out


def infer_period(text: str) -> Period | None:
    """The year a report is of, from its text: the latest year its sentences give (first sentence on a tie)."""
    found = candidates(text)
    if not found:
        return None
    latest = max(p.year for p in found)
    return next(p for p in found if p.year == latest)
