"""Web pages: the article's main text (trafilatura), without menus, related links or footers."""

from __future__ import annotations

import re

from ..errors import ReportReadError
from .extra import need
from .lines import Para, clean, render

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# trafilatura's markdown escapes (xml._escape_inline_specials / _escape_block_start), undone: a run of n
# backslashes before one of these characters was 2k+1 for k in the page, and a block marker got one backslash
_INLINE_ESCAPE = re.compile(r"(\\+)([*_`~\[\]<])")
_BLOCK_ESCAPE = re.compile(
    r"^( {0,3})\\(#{1,6}(?=[ \t]|$)|>|[-+](?=[ \t]|$))|^( {0,3}\d{1,9})\\([.)](?=[ \t]|$))"
)
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


def unescape_markdown(line: str) -> str:
    """A line of trafilatura's markdown with its backslash escapes taken out, so passages read as the page does."""
    line = _BLOCK_ESCAPE.sub(lambda m: "".join(part or "" for part in m.groups()), line)

    def inline(match: re.Match[str]) -> str:
        run = len(match.group(1))
        return "\\" * (run // 2) + match.group(2) if run % 2 else match.group(0)

    return _INLINE_ESCAPE.sub(inline, line)


def read_html(data: bytes, name: str) -> str:
    """The article of a web page as report text: its title first, then its paragraphs and headings."""
    need("trafilatura", name, "web pages")
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
        heading = _MD_HEADING.match(line.strip())  # before unescaping: an escaped \# line is body text
        line = unescape_markdown(heading.group(2) if heading else line)
        if heading and clean(line) == title:
            continue
        if heading:
            paras.append(Para(line, 2))
        elif clean(line).replace("*", "") and clean(line) != title:
            paras.append(Para(line))
    if not any(p.level == 0 for p in paras):
        raise ReportReadError(
            f"{name}: no article text found on this web page (is it a menu or a page built by "
            "JavaScript?); copy the article's text into a .txt file and add that"
        )
    return render(paras)
