"""Reading report files: UTF-8 (BOM allowed), then GB18030; binary, empty or undecodable files are refused."""

from __future__ import annotations

from pathlib import Path

from .errors import ReportReadError, SeedError

SUPPORTED_SUFFIXES = (".txt",)


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


def read_report(path: Path) -> str:
    """Read one report file as text."""
    return decode_report(Path(path).read_bytes(), Path(path).name)


def list_reports(seeds_dir: Path) -> list[Path]:
    """The report files of a seeds folder, sorted by name; a clear error when there are none."""
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        raise SeedError(f"seeds folder {seeds_dir} does not exist; pass --seeds DIR with the reports")
    files = sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    if not files:
        raise SeedError(f"seeds folder {seeds_dir} holds no .txt reports; add reports or pass --seeds DIR")
    return files
