"""Word's automatic numbering: the labels Word draws before numbered paragraphs (1 范围, 1.1, 附录A, （一）).

The numbers are not in the paragraph's text: Word counts them from the numbering definitions (numbering.xml)
as it lays the document out. This counts them the same way, in document order, so a .docx reads as it shows.
"""

from __future__ import annotations

import re

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_PLACEHOLDER = re.compile(r"%([1-9])")
_ALNUM_END = re.compile(r"[A-Za-z0-9]$")


def _chinese(n: int) -> str:
    """1 一, 10 十, 12 十二, 20 二十, 105 一百零五 (Word's chineseCounting)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if not rest:
        return _DIGITS[hundreds] + "百"
    return (
        _DIGITS[hundreds]
        + "百"
        + ("零" if rest < 10 else "")
        + (_chinese(rest) if rest >= 10 else _DIGITS[rest])
    )


def _letters(n: int) -> str:
    """1 A, 26 Z, 27 AA (Word repeats the letter)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out += numeral
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (decimal, upperLetter, chineseCounting, ...)."""
    if fmt in ("upperLetter", "lowerLetter"):
        text = _letters(n)
        return text if fmt == "upperLetter" else text.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(n)
        return text if fmt == "upperRoman" else text.lower()
    if fmt.startswith(("chineseCounting", "ideographDigital", "japaneseCounting", "taiwaneseCounting")):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def _val(element, tag: str) -> str | None:
    found = element.find(_W + tag) if element is not None else None
    return found.get(_W + "val") if found is not None else None


class Numbering:
    """The numbering definitions of one document and the counters as its paragraphs are read in order."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, dict[str, object]]] = {}  # numId -> ilvl -> its definition
        self._counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # no numbering part: nothing is numbered
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            definition = abstract.get(_val(num, "abstractNumId"))
            if definition is None:
                continue
            levels: dict[int, dict[str, object]] = {}
            for lvl in definition.iter(_W + "lvl"):
                levels[int(lvl.get(_W + "ilvl", "0"))] = {
                    "start": int(_val(lvl, "start") or 1),
                    "format": _val(lvl, "numFmt") or "decimal",
                    "text": _val(lvl, "lvlText") or "",
                    "legal": lvl.find(_W + "isLgl") is not None,
                }
            for override in num.iter(_W + "lvlOverride"):
                start = _val(override, "startOverride")
                level = levels.get(int(override.get(_W + "ilvl", "0")))
                if start is not None and level is not None:
                    level["start"] = int(start)
            self._levels[num.get(_W + "numId")] = levels

    def label(self, paragraph) -> str:
        """The label Word draws before this paragraph ("" when it is not numbered); counts it."""
        num_id, ilvl = self._reference(paragraph)
        levels = self._levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counts = self._counts.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a new item at this level restarts the levels under it
        level = levels[ilvl]
        if level["format"] == "bullet":
            return ""

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            defined = levels.get(k, level)
            fmt = "decimal" if level["legal"] else str(defined["format"])
            return format_number(counts.get(k, int(defined["start"])), fmt)

        return _PLACEHOLDER.sub(number, str(level["text"])).strip()

    @staticmethod
    def _reference(paragraph) -> tuple[str | None, int]:
        """The paragraph's (numId, level): its own numPr, else its style's (or a style it is based on)."""
        ppr = paragraph._p.pPr
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            style_ppr = style.element.find(_W + "pPr")
            num_pr = style_ppr.find(_W + "numPr") if style_ppr is not None else None
            style = style.base_style
        if num_pr is None:
            return None, 0
        num_id = _val(num_pr, "numId")
        return (None if num_id in (None, "0") else num_id), int(_val(num_pr, "ilvl") or 0)


def numbered(label: str, text: str) -> str:
    """A paragraph's text with its label: a space after a label ending in a letter or digit (1 范围, 附录A),
    none after one ending in a mark (一、总则, （一）…)."""
    if not label:
        return text
    return label + (" " if _ALNUM_END.search(label) else "") + text.lstrip()
