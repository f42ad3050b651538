"""Word .docx: paragraphs and tables in document order; Title/Heading styles and short bold lines as headings;
the numbers Word's automatic numbering draws (1 范围, 附录A, （一）) kept before their paragraphs.

A table's rows keep their headers (index/readers/tables.py), titled by the caption above it or the heading.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import ReportReadError
from .extra import need
from .lines import Para, clean, mark_headings, render
from .numbering import Numbering, numbered
from .tables import table_lines

# A .docx is a zip; refuse one that would inflate past this (a zip bomb) before python-docx parses it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_MAX = 40  # a whole-bold paragraph longer than this is emphasis, not a heading
_HEADING_STYLES = ("title", "heading", "标题", "subtitle", "副标题")


def _is_heading(paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    if style.startswith(_HEADING_STYLES):
        return True
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.find(f"{_W}outlineLvl") is not None:
        return True
    runs = [r for r in paragraph.runs if r.text.strip()]
    text = clean(paragraph.text)
    return bool(runs) and len(text) <= HEADING_MAX and all(r.bold for r in runs)


def _blocks(parent):
    """The paragraphs and tables under parent in document order, including those inside content controls
    (w:sdt: a cover page's fields, a form's text), except a table of contents' control."""
    for child in parent.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("p", "tbl"):
            yield child
        elif tag == "sdt":
            gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
            content = child.find(f"{_W}sdtContent")
            if content is not None and (
                gallery is None or "contents" not in (gallery.get(f"{_W}val") or "").lower()
            ):
                yield from _blocks(content)


def _is_contents(paragraph) -> bool:
    """A table-of-contents entry (Word's and WPS's `toc 1`…`toc 9` styles, `目录 1`) or its heading (TOC
    Heading): left out, as the PDF reader leaves out a contents page."""
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    return style.startswith(("toc", "目录"))


def _table_rows(table, title: str) -> list[Para]:
    grid = []
    for row in table.rows:
        try:
            grid.append([cell.text for cell in row.cells])
        except (IndexError, ValueError):  # a malformed row python-docx cannot lay out: its cells as they come
            grid.append([tc.xpath("string(.)") for tc in row._tr.tc_lst])
    return [Para(line) for line in table_lines(grid, title)]


def _table_title(paras: list[Para]) -> str:
    """The caption right above a table (`表1 …`, a short line without a sentence end), else the last heading."""
    if paras:
        last = clean(paras[-1].text)
        if last and (last.startswith("表") or (len(last) <= HEADING_MAX and last[-1] not in "。；;：:，,")):
            return last
    return next((clean(p.text) for p in reversed(paras) if p.level), "")


def read_docx(data: bytes, name: str) -> str:
    """The text of a .docx file; ReportReadError when it is damaged or holds no text."""
    need("docx", name, "Word files")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise ReportReadError(
                f"{name}: the Word file unpacks to {unpacked // 2**20} MB, over the "
                f"{MAX_UNPACKED_BYTES // 2**20} MB allowed; save the text alone as .docx or .txt"
            )
        document = docx.Document(io.BytesIO(data))
    except ReportReadError:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... for a damaged file
        raise ReportReadError(
            f"{name}: Word cannot read this .docx ({type(exc).__name__}: {exc}); open it in Word or WPS "
            "and save it again as .docx"
        ) from exc
    paras: list[Para] = []
    numbering = Numbering(document)
    for child in _blocks(document.element.body):
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            if _is_contents(paragraph):
                continue
            label = numbering.label(paragraph)  # Word counts an empty numbered paragraph too
            paras.append(Para(numbered(label, paragraph.text), 2 if _is_heading(paragraph) else 0))
        elif tag == "tbl":
            paras.extend(_table_rows(Table(child, document), _table_title(paras)))
    text = render(mark_headings([p for p in paras if clean(p.text)]))
    if not text.strip():
        raise ReportReadError(f"{name}: the Word file holds no text (only images or empty paragraphs?)")
    return text
