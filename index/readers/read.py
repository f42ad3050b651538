"""Reading report files as text: the kind is sniffed from the content (PDF, Word .docx, Excel .xlsx, web page,
plain text).

Plain text and markdown are UTF-8 (BOM allowed), UTF-16 with a BOM, or GB18030; the other kinds go through index.readers and come
out as the same plain text, one paragraph a line. Unknown binaries, scans and empty files are refused.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from ..errors import ReportReadError, SeedError
from ..kept import Kept
from ..progress import recorded, step

# The seeds folder's report files; the kind of each is read from its content, so a wrong one of these still reads.
SUPPORTED_SUFFIXES = (
    ".txt",
    ".md",
    ".docx",
    ".pdf",
    ".html",
    ".htm",
    ".xlsx",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
    ".webp",
)
MAX_REPORT_BYTES = 50 * 1024 * 1024  # a report over this is refused before it is parsed
# A text line longer than this is a report pasted without its line breaks (no paragraph is this long): it is cut
# into paragraphs of whole sentences of about PASTED_PARAGRAPH_CHARS, else it reads as one heading.
LONG_LINE_CHARS = 5000
PASTED_PARAGRAPH_CHARS = 500
_SENTENCE_END = re.compile(r"(?<=[。！？；!?])|(?<=[.;])(?=\s)")


def decode_report(data: bytes, name: str) -> str:
    """Decode a report's bytes; newlines are normalised to \\n so offsets are stable across platforms."""
    if not data.strip():
        raise ReportReadError(f"{name}: the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, name)
    if b"\x00" in data:
        raise ReportReadError(
            f"{name}: the file looks binary (it contains NUL bytes); only text reports are read"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReportReadError(f"{name}: the file is neither UTF-8 nor GB18030 text; convert it to UTF-8")
    return _checked_text(text, name)


def _decode_utf16(data: bytes, name: str) -> str:
    """UTF-16 text with its BOM (LE or BE), as Windows Notepad saves "Unicode"; its NULs are not binary."""
    try:
        text = data.decode("utf-16")  # the BOM picks the byte order and is dropped
    except UnicodeDecodeError as exc:
        raise ReportReadError(
            f"{name}: the file starts as UTF-16 text but is not valid UTF-16 ({exc.reason}); convert it to UTF-8"
        ) from None
    if "\x00" in text:
        raise ReportReadError(
            f"{name}: the file looks binary (it contains NUL characters); only text reports are read"
        )
    return _checked_text(text, name)


def _checked_text(text: str, name: str) -> str:
    """Decoded text with newlines normalised; refused when it is mostly control characters or blank."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise ReportReadError(
            f"{name}: the file looks binary ({controls} control characters); only text reports are read"
        )
    if not text.strip():
        raise ReportReadError(f"{name}: the file holds only whitespace")
    if any(len(line) > LONG_LINE_CHARS for line in text.split("\n")):
        text = "\n".join(
            _paragraphs(line) if len(line) > LONG_LINE_CHARS else line for line in text.split("\n")
        )
    return text


def _paragraphs(line: str) -> str:
    """A pasted line as paragraphs (blank lines between) of whole sentences; a sentence longer than a paragraph
    is cut at PASTED_PARAGRAPH_CHARS."""
    out: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(line):
        while len(sentence) > PASTED_PARAGRAPH_CHARS:
            head, sentence = sentence[:PASTED_PARAGRAPH_CHARS], sentence[PASTED_PARAGRAPH_CHARS:]
            out += [current, head] if current else [head]
            current = ""
        if current and len(current) + len(sentence) > PASTED_PARAGRAPH_CHARS:
            out.append(current)
            current = ""
        current += sentence
    if current:
        out.append(current)
    return "\n\n".join(part.strip() for part in out if part.strip())


# The texts last read, by content: an upload is read for the form, again by the add's check and again by the
# build; a 10-page PDF took 0.5-0.9 s each time on 2 shared cores (eval/bench/upload_time.py, 2026-12-03).
_READ: Kept[tuple[str, list, dict[str, int]]] = Kept(8)


def report_text(data: bytes, name: str) -> str:
    """The text of a report file's bytes, whatever its kind; the same bytes always give the same text.

    The texts of the last few files read are kept by content hash, with the pages OCR read for them (replayed
    into an open index.readers.ocr.ocr_record) and the pages counted (a progress listener hears page M of M),
    so reading the same bytes again costs a hash.

    Raises ReportReadError naming the file, what is wrong and what to do.
    """
    from .ocr import note_pages, ocr_record
    from .sniff import detect

    if len(data) > MAX_REPORT_BYTES or not data.strip():
        return _read_kind(data, name)  # refused: the message names this file
    key = (hashlib.sha256(data).hexdigest(), detect(data, name))
    kept = _READ.get(key)
    if kept is None:
        with ocr_record() as pages, recorded() as totals:
            text = _read_kind(data, name)
        note_pages(list(pages))
        return _READ.put(key, (text, list(pages), dict(totals)))[0]
    text, pages, totals = kept
    note_pages(list(pages))
    for stage, total in totals.items():  # the progress shown says the pages are read, as they are
        step(stage, total, total, name)
    return text


def _read_kind(data: bytes, name: str) -> str:
    """report_text without the kept texts: the reader of the content's kind."""
    from .sniff import DOCX, HTML, IMAGE, PDF, XLSX, detect

    if len(data) > MAX_REPORT_BYTES:
        raise ReportReadError(
            f"{name}: {len(data) // 2**20} MB is over the {MAX_REPORT_BYTES // 2**20} MB a report may have; "
            "split it or save its text alone"
        )
    if not data.strip():
        raise ReportReadError(f"{name}: the file is empty")
    kind = detect(data, name)
    if kind == PDF:
        from .pdf_reader import read_pdf

        return read_pdf(data, name)
    if kind == DOCX:
        from .docx_reader import read_docx

        return read_docx(data, name)
    if kind == IMAGE:
        from .ocr import read_image

        return read_image(data, name)
    if kind == XLSX:
        from .tables import read_xlsx

        return read_xlsx(data, name)
    if kind == HTML:
        from .html_reader import read_html

        return read_html(data, name)
    return decode_report(data, name)


def is_regular(path: Path) -> bool:
    """Whether path is a regular file itself: not a symbolic link, device, fifo, socket or folder."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_report_bytes(path: str | Path) -> bytes:
    """A report file's bytes: a regular file only (a symbolic link is not followed, a fifo or device not
    opened for long), at most MAX_REPORT_BYTES; ReportReadError naming the file otherwise."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise ReportReadError(
                f"{path.name} is a symbolic link; only regular files are read: give the file itself "
                f"({os.path.realpath(path)} if that is the report)"
            ) from None
        raise ReportReadError(
            f"{path.name}: cannot be read ({exc.strerror}); give a readable report file"
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReportReadError(
            f"{path.name} is not a regular file (a folder, device, fifo or socket); give a report file"
        )
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > MAX_REPORT_BYTES:
            raise ReportReadError(
                f"{path.name}: {info.st_size // 2**20} MB is over the {MAX_REPORT_BYTES // 2**20} MB "
                "a report may have; split it or save its text alone"
            )
        data = fh.read(MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        raise ReportReadError(f"{path.name} grew over {MAX_REPORT_BYTES // 2**20} MB while it was read")
    return data


def read_report(path: Path) -> str:
    """Read one report file (PDF, .docx, web page, text) as text, one paragraph a line."""
    path = Path(path)
    return report_text(read_report_bytes(path), path.name)


def list_reports(seeds_dir: Path) -> list[Path]:
    """The report files of a seeds folder, sorted by name; a clear error when there are none.

    Symbolic links and other non-regular entries with a report's suffix are listed too, so that the build
    names them among the files it left out (read_report refuses them).
    """
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        raise SeedError(f"seeds folder {seeds_dir} does not exist; pass --seeds DIR with the reports")
    files = sorted(
        p
        for p in seeds_dir.iterdir()
        if p.suffix.lower() in SUPPORTED_SUFFIXES and (p.is_symlink() or not p.is_dir())
    )
    if not files:
        kinds = " ".join(SUPPORTED_SUFFIXES)
        raise SeedError(
            f"seeds folder {seeds_dir} holds no reports ({kinds}); add reports or pass --seeds DIR"
        )
    return files
