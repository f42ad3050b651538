"""Pattern pieces that reading reports and reading questions share: a Chinese character, item numerals, a quoted term.

Both layers build their regular expressions from these (qa imports index, never the reverse); years and figures
have their own grammar in figures.py.
"""

from __future__ import annotations

import re

# One Chinese character (the CJK Unified Ideographs block), as a character class.
HAN = r"[\u4e00-\u9fff]"
# The numerals one to ten that number a report's items and sections: 一是…, 之三, 第五, （二）, 一、.
NUMERALS = "一二三四五六七八九十"


def quoted(longest: int) -> re.Pattern[str]:
    """A term in quotation or title marks (“五勤”, 《意见》) of 2 to `longest` characters, its text in group 1."""
    return re.compile(rf"[“\"《]([^”\"》]{{2,{longest}}})[”\"》]")
