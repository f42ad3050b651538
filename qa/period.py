"""The period a figure is written for (2019年, 2022年Q1, 2023年上半年) against the one a question names.

A sentence may give one measure for two periods (电价从2019年0.8元降低到2022年Q1的0.39元): the period written
just before a figure, with no other figure between, is that figure's, and a question naming another period
(2022年一季度) is not answered by it. A period read as the base of a comparison (比2019年, 较上年同期) or the
start of a span (2018年以来, 2019年至) is not the figure's own.
"""

from __future__ import annotations

import re

from index.text import figures

_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# A year and what part of it: 2022年第一季度, 2022年一季度, 2022年Q1, 2022Q1, 2023年上半年, 2023年5月.
PERIOD = re.compile(
    rf"(?<!\d)({figures.YEAR})(?:年(?:第?([一二三四1-4])季度|\s*[Qq]([1-4])|([上下])半年|(\d{{1,2}})月)?|\s*[Qq]([1-4]))"
)
# A part of a year a question names without its year (一季度, Q1, 上半年).
_PART = re.compile(r"第?([一二三四1-4])季度|(?<![A-Za-z])[Qq]([1-4])|([上下])半年|(?<!\d)(\d{1,2})月")
# Before a period: the base of a comparison; after it: the start of a span.
_BASE_BEFORE = re.compile(r"(?:比|较|同比|环比|相比|与|和|及|对比)$")
_SPAN_AFTER = re.compile(r"^(?:以来|起|开始|至|到|—|-|～|~|以前|前|同期|相比|比较)")
# How far before a figure its period may stand (2022年Q1的0.39元: 1 character; 2019年底全市共有: 6).
REACH = 12


def _part(quarter: str | None, q_latin: str | None, half: str | None, month: str | None) -> str | None:
    if quarter or q_latin:
        return f"Q{_QUARTER[quarter or q_latin]}"
    if half:
        return "H1" if half == "上" else "H2"
    if month:
        return f"M{int(month)}"
    return None


def asked_period(question: str, year: int | None) -> tuple[int, str | None] | None:
    """The year a question names and the part of it (Q1, H1, M5), or None when it names no year."""
    if year is None:
        return None
    m = PERIOD.search(question)
    if m and int(m.group(1)) == year:
        part = _part(m.group(2), m.group(3) or m.group(6), m.group(4), m.group(5))
        if part:
            return year, part
    rest = _PART.search(question)
    if rest:
        return year, _part(rest.group(1), rest.group(2), rest.group(3), rest.group(4))
    return year, None


def own_period(sentence: str, start: int) -> tuple[int, str | None] | None:
    """The period written for the figure at `start`: the last period in the few characters before it, with no
    figure, clause mark or comparison between."""
    window_start = max(0, start - REACH)
    window = sentence[window_start:start]
    found = None
    for m in PERIOD.finditer(window):
        found = m
    if found is None:
        return None
    between = window[found.end() :]
    if re.search(r"\d|[，,；;。：:]", between) or _SPAN_AFTER.match(between):
        return None
    if _BASE_BEFORE.search(sentence[: window_start + found.start()]):
        return None
    part = _part(found.group(2), found.group(3) or found.group(6), found.group(4), found.group(5))
    return int(found.group(1)), part


def other_period(question: str, year: int | None, sentence: str, start: int) -> bool:
    """Whether the figure at `start` is written for another period than the one the question names: another
    year, or another part of the same year when both name one."""
    asked = asked_period(question, year)
    if asked is None:
        return False
    own = own_period(sentence, start)
    if own is None:
        return False
    if own[0] != asked[0]:
        return True
    return own[1] is not None and asked[1] is not None and own[1] != asked[1]
