"""Whether a figure measures what a question asks: a length is no answer to how large a piece of land is."""

from __future__ import annotations

import re

from index.text import figures

from .question import Question

# What a question asks to be measured, by the words Chinese asks it with: a quantity's name (面积, 直径) or a
# 多 + adjective question (多长, 多重).
_ASKS = {
    "area": r"面积|占地",
    "length": r"长度|距离|里程|直径|半径|线径|粗细|厚度|高度|深度|宽度|海拔|多长|多远|多高|多深|多厚|多宽|多粗|多细",
    "volume": r"体积|容积|排量",
    "mass": r"重量|多重",
    "power": r"功率|装机",
    "energy": r"电量|能耗",
}
_ASKED = {name: re.compile(words) for name, words in _ASKS.items()}
_UNIT = re.compile(figures.UNIT)
_RATE = re.compile(figures.PER)
_HOW_BIG = re.compile(r"多大")


def asked_dimensions(q: Question) -> set[str]:
    """The dimensions a question asks for: of the unit it counts in or writes (多少平方米), or named (面积,
    多长); empty when it names none (多少, 是多少)."""
    asked = {figures.dimension(figures.unit_of(q.unit) if q.unit else None)}
    asked |= {figures.dimension(m.group()) for m in _UNIT.finditer(q.text)}
    asked |= {name for name, words in _ASKED.items() if words.search(q.text)}
    asked.discard(None)
    return asked  # type: ignore[return-value]


def fits(q: Question, answer: str | None) -> bool:
    """Whether a figure can answer the question: False when the figure measures one dimension (a length, an
    area, a mass …) and the question asks for another, True when either says none (a count, money, a rate:
    32微克/立方米 is neither a mass nor a volume)."""
    if not answer or _RATE.search(answer):
        return True
    measured = figures.dimension(figures.unit_of(answer))
    asked = asked_dimensions(q)
    if measured == "length" and not asked and _HOW_BIG.search(q.text):
        return False  # 多大 asks a size that is not a length (多大一块地, 面积多大, 多大规模) unless one is named (直径多大)
    return measured is None or not asked or measured in asked
