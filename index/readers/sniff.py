"""What kind of file a report is, from its first bytes (magic numbers), never from its name."""

from __future__ import annotations

import io
import zipfile

from ..errors import ReportReadError

PDF, DOCX, HTML, TEXT, XLSX, IMAGE = "pdf", "docx", "html", "text", "xlsx", "image"
SUFFIX = {PDF: ".pdf", DOCX: ".docx", HTML: ".html", TEXT: ".txt", XLSX: ".xlsx", IMAGE: ".png"}
# Page photos and scans, read by OCR (index/readers/ocr.py).
_OCR_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")
_IMAGES = {b"GIF8": "a GIF image"}
_SAVE_AS = "save it as .docx, .pdf (with text), .html or .txt and add that file"


def _html_head(data: bytes) -> bytes:
    """The first markup of a file, lower-cased, with BOMs, blank space and leading comments skipped."""
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    head = head.replace(b"\x00", b"").lstrip().lower()  # UTF-16 markup reads as ASCII without its NULs
    while head.startswith(b"<!--") and b"-->" in head:
        head = head[head.index(b"-->") + 3 :].lstrip()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
    return head


def detect(data: bytes, name: str) -> str:
    """pdf, docx, xlsx, image, html or text; ReportReadError naming the file, what it is and what to do for anything else."""
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise ReportReadError(f"{name}: a damaged zip/Word file ({exc}); {_SAVE_AS}") from exc
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names and any(n.startswith("xl/worksheets/") for n in names):
            return XLSX
        kind = (
            "an OpenDocument file"
            if "mimetype" in names
            else "an Excel workbook"
            if "xl/workbook.xml" in names
            else "a PowerPoint file"
            if "ppt/presentation.xml" in names
            else "a zip archive"
        )
        raise ReportReadError(f"{name}: {kind}, not a Word .docx report; {_SAVE_AS}")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportReadError(f"{name}: an old Word .doc (or other Office 97-2003) file; {_SAVE_AS}")
    if data.startswith(b"{\\rtf"):
        raise ReportReadError(f"{name}: an RTF file; {_SAVE_AS}")
    if data.startswith(_OCR_IMAGES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return IMAGE
    for magic, kind in _IMAGES.items():
        if data.startswith(magic):
            raise ReportReadError(f"{name}: {kind}; save the page as PNG or JPEG to have it read by OCR")
    head = _html_head(data)
    if head.startswith(_HTML_STARTS) or (head.startswith(b"<") and b"<html" in head):
        return HTML
    return TEXT
