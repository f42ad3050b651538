"""Compare text extractors on the test documents: python -m eval.readers [--out eval/READERS.md] [--real DIR].

PDF: pypdf, pdfplumber and PyMuPDF as they come, against our reader (pdfplumber's positions, our columns).
HTML: trafilatura and readability-lxml as they come, against our reader (trafilatura). Candidates that are
not installed are listed as such (only the chosen ones are in requirements.txt).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests import documents as docs

from .markdown import table

_SPACE = re.compile(r"\s+")
# A figure with the character after it (its unit or counted noun): what a figure question needs kept together.
_FIGURE_UNIT = re.compile(r"\d[\d.,]*%?[万亿]?[\u4e00-\u9fff]")


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


def score(text: str, paragraphs: list[str], noise: tuple[str, ...]) -> dict[str, object]:
    """Whole paragraphs found (whitespace ignored), whether they come in order, noise strings let in."""
    flat = _compact(text)
    positions = [flat.find(_compact(p)) for p in paragraphs]
    found = [p for p in positions if p >= 0]
    lines = [line for line in text.split("\n") if line.strip()]
    figures = [f for p in paragraphs for f in _FIGURE_UNIT.findall(p)]
    return {
        "whole": f"{len(found)}/{len(paragraphs)}",
        "figures": f"{sum(1 for f in figures if f in flat)}/{len(figures)}",
        "in order": "yes" if found == sorted(found) and len(found) == len(paragraphs) else "no",
        "one line each": sum(1 for p in paragraphs if p in lines),
        "noise": sum(1 for n in noise if _compact(n) in flat),
    }


def _pypdf(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def _pymupdf(sort: bool) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        import pymupdf

        with pymupdf.open(path) as pdf:
            return "\n".join(page.get_text("text", sort=sort) for page in pdf)

    return run


def _ours(path: Path) -> str:
    from index.readers.read import read_report

    return read_report(path)


def _trafilatura(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_bytes().decode("utf-8"), include_tables=True) or ""


def _trafilatura_precise(path: Path) -> str:
    import trafilatura

    page = path.read_bytes().decode("utf-8")
    return trafilatura.extract(page, include_tables=True, favor_precision=True) or ""


def _readability(path: Path) -> str:
    import lxml.html
    from readability import Document

    tree = lxml.html.fromstring(Document(path.read_bytes().decode("utf-8")).summary(html_partial=True))
    return "\n".join(el.text_content() for el in tree.iter("p", "h1", "h2", "h3", "li", "td"))


PDF_CANDIDATES = {
    "pypdf 7.1.1": _pypdf,
    "pdfplumber 0.11.10 extract_text": _pdfplumber,
    "PyMuPDF 2.0 get_text": _pymupdf(False),
    "PyMuPDF 2.0 get_text(sort=True)": _pymupdf(True),
    "ours (pdfplumber lines + columns)": _ours,
}
HTML_CANDIDATES = {
    "trafilatura 2.3.1 extract": _trafilatura,
    "trafilatura 2.3.1 extract(favor_precision)": _trafilatura_precise,
    "readability-lxml 0.9 summary": _readability,
    "ours (trafilatura + title)": _ours,
}


def make_files(folder: Path) -> list[tuple[str, Path, list[str], tuple[str, ...]]]:
    """(label, file, expected paragraphs, noise) for every test document."""
    body = list(docs.PARAGRAPHS)
    title, long = docs.long_report(pages=14)  # 10 A4 pages in one column
    page_noise = ("-1-", "-2-")
    files = [
        ("PDF one column, 1 page", docs.make_pdf(folder / "one.pdf"), body, page_noise),
        ("PDF two columns", docs.make_pdf(folder / "two.pdf", columns=2), body, page_noise),
        (
            "PDF two columns, drawn in reverse",
            docs.make_pdf(folder / "rev.pdf", columns=2, reverse_stream=True),
            body,
            page_noise,
        ),
        (
            "PDF 10 pages, one column",
            docs.make_pdf(folder / "long1.pdf", title=title, paragraphs=long),
            long,
            page_noise,
        ),
        (
            "PDF 10 pages, figures in a Latin font 1 pt lower (as Word/WPS export)",
            docs.make_pdf(folder / "wps.pdf", title=title, paragraphs=long, figure_font="Times-Roman"),
            long,
            page_noise,
        ),
        (
            "PDF 10 pages, two columns, drawn in reverse",
            docs.make_pdf(folder / "long2.pdf", title=title, paragraphs=long, columns=2, reverse_stream=True),
            long,
            page_noise,
        ),
    ]
    web_noise = (*docs.NAV[1:], *docs.RELATED, "版权所有", "分享到", "当前位置", "发布时间")
    files += [
        ("web page, 5 paragraphs", docs.make_html(folder / "page.html"), body, web_noise),
        (
            "web page with a subheading",
            docs.make_html(folder / "sub.html", heading="二、帮扶工作"),
            body,
            web_noise,
        ),
        (
            "web page, a 1-paragraph notice",
            docs.make_html(folder / "short.html", paragraphs=body[1:2]),
            body[1:2],
            web_noise,
        ),
    ]
    return files


def compare(only: str | None = None) -> list[dict[str, object]]:
    """One row per (document, candidate); only: the documents whose label contains this."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, path, paragraphs, noise in make_files(Path(tmp)):
            if only and only not in label:
                continue
            candidates = PDF_CANDIDATES if path.suffix == ".pdf" else HTML_CANDIDATES
            for name, run in candidates.items():
                row: dict[str, object] = {"document": label, "reader": name}
                try:
                    started = time.perf_counter()
                    text = run(path)
                    row["ms"] = round((time.perf_counter() - started) * 1000)
                    row.update(score(text, paragraphs, noise))
                except ImportError as exc:
                    row["whole"] = f"not installed ({exc.name})"
                rows.append(row)
    return rows


_NUMBER_ALONE = re.compile(r"[-+]?\d[\d.,%．，]*")
# A body paragraph (20+ characters, not a heading or a table row) read whole ends a sentence; one cut by a
# column, page or table break mostly does not.
_SENTENCE_ENDS = "。！？!?；;…”’」』"


def _figures(text: str) -> Counter[str]:
    """Figure-and-unit strings (index.text.figures.FIGURE: 4000 万千米, 24.4%) line by line, spaces dropped: no
    figure is made of two table cells run together."""
    from index.text.figures import FIGURE

    return Counter(_compact(m.group()) for line in text.split("\n") for m in FIGURE.finditer(line))


def real(folder: Path) -> list[dict[str, object]]:
    """Real PDFs (made by Word, WPS and the like, not by us) in `folder`: per file its pages, the seconds a page
    the build takes to read it and cut it into passages (no embedding), figure-and-unit strings kept against
    pdfplumber's extract_text, paragraphs that are a number alone (a figure cut off its sentence), table rows,
    and body paragraphs that end a sentence (those cut mid-sentence are not whole)."""
    import shutil

    import pdfplumber

    from index.corpus import build_passages
    from index.readers.read import read_report
    from index.readers.tables import is_table_row

    rows = []
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            plain = "\n".join(page.extract_text() or "" for page in pdf.pages)
        row: dict[str, object] = {"file": path.name, "pages": pages}
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(path, Path(tmp) / path.name)
            started = time.perf_counter()
            passages, corpus = build_passages(Path(tmp))
            seconds = time.perf_counter() - started
        if corpus.skipped:
            row["note"] = corpus.skipped[0][1][:80]
            rows.append(row)
            continue
        ours = read_report(path)  # the text the build just read (kept by content: no second parse)
        theirs, kept = _figures(plain), _figures(ours)
        lines = [line.strip() for line in ours.split("\n") if line.strip()]
        body = [
            line
            for line in lines
            if not line.startswith("#") and not is_table_row(line) and len(_compact(line)) >= 20
        ]
        row.update(
            {
                "s a page": f"{seconds / max(pages, 1):.2f}",
                "passages": len(passages),
                "figures kept": f"{sum(min(n, kept[f]) for f, n in theirs.items())}/{sum(theirs.values())}",
                "paragraphs": len(lines),
                "a number alone": sum(1 for line in lines if _NUMBER_ALONE.fullmatch(line)),
                "table rows": sum(1 for line in lines if is_table_row(line)),
                "ends a sentence": f"{sum(1 for line in body if line[-1] in _SENTENCE_ENDS)}/{len(body)}",
            }
        )
        rows.append(row)
    return rows


REAL_KEYS = [
    "file", "pages", "s a page", "passages", "figures kept", "paragraphs", "a number alone", "table rows",
    "ends a sentence", "note",
]  # fmt: skip


def render(rows: list[dict[str, object]]) -> str:
    keys = ["document", "reader", "whole", "figures", "in order", "one line each", "noise", "ms"]
    return table(keys, [[str(row.get(k, "")) for k in keys] for row in rows], left=2)


DECISION = """
## What we use and why

- **PDF: pdfplumber's character positions, our own column and paragraph rules** (index/readers/pdf_reader.py).
  Every library follows the file's drawing order or sorts lines top to bottom, so none of them reads a
  two-column page that was drawn in reverse in the right order on its own (pypdf and PyMuPDF's default
  read the columns backwards; pdfplumber's extract_text and PyMuPDF's sort=True interleave the two
  columns line by line: 3 of 123 paragraphs whole). None gives one paragraph a line or drops page numbers.
  With positions, our rules get every case right. PyMuPDF is 10-50x faster, but it is AGPL-3.0 and its
  2.0 wheel (116 MB installed) pulls onnxruntime and a layout model; pdfplumber (MIT, pure Python on pdfminer.six) reads a
  10-page report in about a second, which is small next to embedding its passages.
- Figures in a Latin font a point lower (Word/WPS exports) stay in their sentence because lines come from
  the vertical overlap of word boxes, not equal baselines (before: 70/123 paragraphs, 178/289 figures).
- **Web pages: trafilatura with favor_precision** (index/readers/html_reader.py). With its default it lets a
  short notice's whole page in (menus, breadcrumbs, related links: 13 noise strings);
  readability-lxml lets in 2 there (the info line and the share bar) and its title carries the site's name (宁德市总工会2021年工作报告_宁德市
  总工会网站). trafilatura with favor_precision lets in only the article's info line (发布时间…), keeps
  subheadings as markdown headings and gives the title from the page's metadata.
- **Test PDFs: reportlab** with its built-in Adobe CID font STSong-Light (no font file): 9 MB installed,
  0.1-0.5 s a PDF. LibreOffice (Debian's libreoffice-writer-nogui) would be 60 packages, 86 MB to download,
  274 MB installed (apt-get -s), a few seconds a conversion, and a CJK font package besides.
- **Word: python-docx** (no comparison asked for): paragraphs (inside content controls too), Title/Heading styles and table rows in
  document order, with the numbers Word's automatic numbering draws (counted from numbering.xml:
  `1 范围`, `2.1`, `附录A`, `（一）`); a table of contents (its `toc N` styles, its content control) left out.
  Not read: text boxes, footnotes, headers/footers.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.readers", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="also write the table to this Markdown file")
    parser.add_argument("--only", default=None, help="only the documents whose label contains this")
    parser.add_argument(
        "--real",
        type=Path,
        default=None,
        help="instead: measure the real PDFs in this folder (eval/READERS.md)",
    )
    args = parser.parse_args(argv)
    if args.real is not None:
        if not args.real.is_dir():
            print(
                f"skipped: no folder {args.real} (put real PDFs there; eval/READERS.md names the ones used)"
            )
            return 0
        rows = real(args.real)
        print(table(REAL_KEYS, [[str(row.get(k, "")) for k in REAL_KEYS] for row in rows], left=1))
        return 0
    found = render(compare(args.only))
    print(found)
    if args.out:
        args.out.write_text(
            "# Reader comparison\n\n`python -m eval.readers` on the documents tests/documents.py makes. "
            "whole: expected paragraphs found intact (whitespace ignored); in order: all of them, in order; "
            "figures: figure-and-unit strings of the paragraphs found intact; one line each: paragraphs that come out as exactly one line (what the layout step needs); "
            "noise: page numbers (PDF) or menu/related/footer strings (web) let in; ms includes the first "
            "call's imports.\n\n" + found + "\n" + DECISION,
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
