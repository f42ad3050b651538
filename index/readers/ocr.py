"""OCR for scans and photos: Tesseract (chi_sim) reads a page image into paragraphs, with its confidence.

Tesseract's own layout analysis gives blocks, paragraphs and lines in reading order (columns included) and
straightens a slight skew; page numbers in the top or bottom margin are dropped, a paragraph's lines are
joined as the PDF reader joins them, and words the engine is unsure of are kept but counted. Tesseract runs
as its command-line program (Debian's tesseract-ocr and tesseract-ocr-chi-sim; `make ocr` installs them).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReportReadError
from ..kept import Kept
from ..progress import step
from .lines import Para, clean, join_lines, mark_headings, render, spaced

LANGUAGES = "chi_sim+eng"
RENDER_DPI = 200  # a scanned PDF page is rendered at this; Tesseract reads 10-12 pt print well from 200 dpi
# A photo a chat app shrank (1280 px on the long side) prints characters about 18 px high, under what
# Tesseract reads well: such an image is enlarged to an A4 page at RENDER_DPI first (eval.ocr).
MIN_LONG_SIDE = 2000
RENDER_LONG_SIDE = 2339
# Tesseract runs one thread a page (OMP_THREAD_LIMIT=1): with other work on the 2 cores its OpenMP threads
# made a page take 19.3 s against 3.6 s with one; on idle cores 3.1 s against 3.4 s; the same text read
# (python -m eval.ocr, eval/READERS.md).
UNSURE_BELOW = 60.0  # a word with confidence under this is counted as unsure (kept all the same)
MARGIN_BAND = 0.08
TIMEOUT_S = 120  # one page; a stuck run is stopped rather than holding an add forever
_PAGE_NUMBER = re.compile(r"^[-—–·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4})?[-—–·\s]*$")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp")


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: its paragraphs, mean word confidence (0-100) and the words under UNSURE_BELOW."""

    paragraphs: tuple[str, ...]
    confidence: float
    words: int
    unsure: int


# Pages already read, by the image's content: an add previews a file, then builds from it (3 s-20 s a page).
CACHE_PAGES = 64
_CACHE: Kept[OcrPage] = Kept(CACHE_PAGES)

# The side record of what OCR read while a report was read: (page number from 1, the page), in reading order.
# The report text stays plain text; whoever wants to know which paragraphs OCR read opens ocr_record().
_RECORD: ContextVar[list[tuple[int, OcrPage]] | None] = ContextVar("ocr_record", default=None)


@contextlib.contextmanager
def ocr_record() -> Iterator[list[tuple[int, OcrPage]]]:
    """Collect the pages OCR reads inside the block: a list of (page number from 1, OcrPage) in text order."""
    pages: list[tuple[int, OcrPage]] = []
    token = _RECORD.set(pages)
    try:
        yield pages
    finally:
        _RECORD.reset(token)


def note_pages(pages: list[tuple[int, OcrPage]]) -> None:
    """Add pages to the open ocr_record (none open: nothing to do)."""
    record = _RECORD.get()
    if record is not None:
        record.extend(pages)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", clean(text)).lstrip("#＃")


def ocr_lines(text: str, pages: list[tuple[int, OcrPage]]) -> dict[int, tuple[int, float]]:
    """Which paragraphs of a report text OCR read: paragraph number (as index.text.layout.split_lines counts
    its non-empty lines, from 1) to (page, the page's mean confidence)."""
    read = [(_key(t), number, page.confidence) for number, page in pages for t in page.paragraphs]
    out: dict[int, tuple[int, float]] = {}
    at = 0
    number = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        number += 1
        key = _key(line.lstrip().lstrip("#").strip())
        for i in range(at, len(read)):
            if key and read[i][0] == key:
                out[number] = (read[i][1], read[i][2])
                at = i + 1
                break
    return out


def tesseract() -> str:
    """The tesseract program's path; ReportReadError with the install command when it or chi_sim is missing."""
    path = shutil.which("tesseract")
    if path is None:
        raise ReportReadError(
            "OCR needs Tesseract: run `make ocr` (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
        )
    return path


def ocr_image(image) -> OcrPage:
    """Read one page image (a PIL image) with Tesseract: paragraphs in reading order and the confidence.

    The same image read again (an add reads a file to show what it found, then to build) is not read twice.
    """
    key = hashlib.sha256(f"{image.mode}{image.size}".encode() + image.tobytes()).hexdigest()
    return _CACHE.get_or_make(key, lambda: _tesseract_page(image))


def _tesseract_page(image) -> OcrPage:
    from PIL import Image

    program = tesseract()
    gray = image.convert("L")
    if max(gray.size) < MIN_LONG_SIDE:
        scale = RENDER_LONG_SIDE / max(gray.size)
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.Resampling.LANCZOS)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.png"
        gray.save(source)
        try:
            run = subprocess.run(
                [program, str(source), "stdout", "-l", LANGUAGES, "--psm", "3", "tsv"],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
                env={"OMP_THREAD_LIMIT": "1", **os.environ},  # the caller's own setting wins
            )
        except subprocess.TimeoutExpired as exc:
            raise ReportReadError(
                f"OCR took over {TIMEOUT_S} s on one page; scan it at 300 dpi or less"
            ) from exc
    if run.returncode != 0:
        missing = "chi_sim" in run.stderr and (
            "Failed loading" in run.stderr or "Error opening" in run.stderr
        )
        fix = (
            "run `make ocr` (apt-get install tesseract-ocr-chi-sim)" if missing else run.stderr.strip()[-200:]
        )
        raise ReportReadError(f"OCR failed: {fix}")
    return _page(run.stdout, gray.height)


def _page(tsv: str, height: int) -> OcrPage:
    lines: dict[tuple[int, int, int], list[tuple[str, float, int, int]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        top, tall = int(cells[7]), int(cells[9])
        lines.setdefault(key, []).append((cells[11].strip(), float(cells[10]), top, top + tall))
    paragraphs: dict[tuple[int, int], list[str]] = {}
    confidences: list[float] = []
    for (block, par, _), words in lines.items():
        text = ""
        for word, _, _, _ in words:
            text += (" " if text and spaced(text[-1], word[0]) else "") + word
        top, bottom = min(w[2] for w in words), max(w[3] for w in words)
        in_margin = bottom < height * MARGIN_BAND or top > height * (1 - MARGIN_BAND)
        if in_margin and _PAGE_NUMBER.match(text):
            continue
        confidences += [conf for _, conf, _, _ in words]
        paragraphs.setdefault((block, par), []).append(text)
    texts = tuple(t for t in (join_lines(p) for p in paragraphs.values()) if t)
    return OcrPage(
        texts,
        round(sum(confidences) / len(confidences), 1) if confidences else 0.0,
        len(confidences),
        sum(1 for c in confidences if c < UNSURE_BELOW),
    )


def read_image(data: bytes, name: str) -> str:
    """A photo or scan of report pages (.png .jpg .tif .webp; every frame of a TIFF) read by OCR."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = []
        for n in range(getattr(image, "n_frames", 1)):
            image.seek(n)
            frames.append(ImageOps.exif_transpose(image.copy()))  # a phone photo's EXIF rotation applied
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReportReadError(
            f"{name}: the image cannot be read for OCR ({exc}); save it again as PNG or JPEG"
        ) from exc
    pages = []
    for n, frame in enumerate(frames, start=1):
        pages.append(ocr_image(frame))
        step("ocr", n, len(frames), name)
    text = ocr_text(pages, name)
    note_pages(list(enumerate(pages, start=1)))
    return text


def ocr_text(pages: list[OcrPage], name: str) -> str:
    """Report text from OCR'd pages; ReportReadError "OCR found no text" when nothing was read."""
    paras = [Para(text) for page in pages for text in page.paragraphs]
    if sum(len(p.text) for p in paras) < 10:
        raise ReportReadError(
            f"{name}: OCR found no text in the image; photograph the page flat, in focus and well lit, "
            "or add the original file"
        )
    return render(mark_headings(paras))


def render_pdf_page(data: bytes, number: int, dpi: int = RENDER_DPI):
    """Page `number` (0-based) of a PDF as a PIL image, rendered by pdfium."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return pdf[number].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
