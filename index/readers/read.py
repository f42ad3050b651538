"""Reading report files as text: the kind is sniffed from the content (PDF, Word .docx, Excel .xlsx, web page,
plain text).

Plain text and markdown are UTF-8 (BOM allowed) or GB18030; the other kinds go through index.readers and come
out as the same plain text, one paragraph a line. Unknown binaries, scans and empty files are refused.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportReadError, SeedError

# The seeds folder's report files; the kind of each is read from its content, so a wrong one of these still reads.
SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".xlsx")
MAX_REPORT_BYTES = 50 * 1024 * 1024  # a report over this is refused before it is parsed


def decode_report(data: bytes, name: str) -> str:
    """Decode a report's bytes; newlines are normalised to \\n so offsets are stable across platforms."""
    if not data.strip():
        raise ReportReadError(f"{name}: the file is empty")
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise ReportReadError(
            f"{name}: the file looks binary ({controls} control characters); only text reports are read"
        )
    if not text.strip():
        raise ReportReadError(f"{name}: the file holds only whitespace")
    return text


def report_text(data: bytes, name: str) -> str:
    """The text of a report file's bytes, whatever its kind; the same bytes always give the same text.

    Raises ReportReadError naming the file, what is wrong and what to do.
    """
    from .sniff import DOCX, HTML, PDF, XLSX, detect

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
    if kind == XLSX:
        from .tables import read_xlsx

        return read_xlsx(data, name)
    if kind == HTML:
        from .html_reader import read_html

        return read_html(data, name)
    return decode_report(data, name)


def read_report(path: Path) -> str:
    """Read one report file (PDF, .docx, web page, text) as text, one paragraph a line."""
    path = Path(path)
    if path.stat().st_size > MAX_REPORT_BYTES:
        raise ReportReadError(
            f"{path.name}: {path.stat().st_size // 2**20} MB is over the {MAX_REPORT_BYTES // 2**20} MB "
            "a report may have; split it or save its text alone"
        )
    return report_text(path.read_bytes(), path.name)


def list_reports(seeds_dir: Path) -> list[Path]:
    """The report files of a seeds folder, sorted by name; a clear error when there are none."""
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        raise SeedError(f"seeds folder {seeds_dir} does not exist; pass --seeds DIR with the reports")
    files = sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    if not files:
        kinds = " ".join(SUPPORTED_SUFFIXES)
        raise SeedError(
            f"seeds folder {seeds_dir} holds no reports ({kinds}); add reports or pass --seeds DIR"
        )
    return files
