"""Web pages: the article's main text (trafilatura), without menus, related links or footers."""

from __future__ import annotations

import re

from ..errors import ReportReadError
from .lines import Para, clean, render

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "utf8": "utf-8"}


def decode_html(data: bytes, name: str) -> str:
    """A page's text: its BOM, then its <meta charset>, then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _META_CHARSET.search(data[:4096])
    encodings = []
    if declared:
        label = declared.group(1).decode("ascii").lower()
        encodings.append(_ALIASES.get(label, label))
    for encoding in [*encodings, "utf-8", "gb18030"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReportReadError(f"{name}: the page is neither in its declared charset, UTF-8 nor GB18030")


def read_html(data: bytes, name: str) -> str:
    """The article of a web page as report text: its title first, then its paragraphs and headings."""
    import trafilatura

    page = decode_html(data, name)
    result = trafilatura.bare_extraction(
        page,
        output_format="python",
        include_comments=False,
        include_tables=True,
        include_formatting=True,
        favor_precision=True,  # eval/READERS.md: the default lets a short article's whole page in
        deduplicate=False,
        with_metadata=True,
    )
    body = (result.text if result is not None else "") or ""
    title = clean((result.title if result is not None else "") or "")
    paras: list[Para] = [Para(title, 1)] if title else []
    for line in body.split("\n"):
        heading = _MD_HEADING.match(line.strip())
        if heading and clean(heading.group(2)) == title:
            continue
        if heading:
            paras.append(Para(heading.group(2), 2))
        elif clean(line).replace("*", "") and clean(line) != title:
            paras.append(Para(line))
    if not any(p.level == 0 for p in paras):
        raise ReportReadError(
            f"{name}: no article text found on this web page (is it a menu or a page built by "
            "JavaScript?); copy the article's text into a .txt file and add that"
        )
    return render(paras)
