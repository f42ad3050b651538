"""Which OCR engine reads report pages best: python -m eval.ocr [--pages 2] [--out FILE] [--engines ...].

Pages are printed from invented report text (real place names, made-up figures) in a Chinese font at 200 dpi
(tests/documents.py page_image), then read as they come (clean), turned 1° and blurred as a scanner gives
them, and photographed as a phone does (phone_photo). Each engine runs in a process of its own so its
memory is its own; character error rate (edit distance over the truth's length, whitespace ignored, NFKC)
is taken on all the text and on the figures alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from tests import documents as docs

from .markdown import table

PLACES = ("永安市", "福鼎市", "宁德市蕉城区", "南平市延平区")
VARIANTS = {
    "clean": {"rotate": 0.0, "blur": 0.0},
    "turned 1°, blurred": {"rotate": 1.0, "blur": 0.8},
    "phone photo": {"rotate": 0.0, "blur": 0.0, "phone": True},
    # A photo passed on by a chat app, which shrinks it to 1280 px on the long side: characters about 18 px high.
    "phone photo sent by chat (1280 px)": {"rotate": 0.0, "blur": 0.0, "phone": True, "long_side": 1280},
}
ENGINES = ("tesseract", "tesseract-threads", "rapidocr")
# page_image prints 40 characters a line, 52 px a line and 30 px between paragraphs from y=200 on an A4 page of
# 2339 px: a page holds a paragraph while it ends above this.
_PAGE_BOTTOM = 2150
_FIGURE = re.compile(r"\d+(?:\.\d+)?%?")
_FIGURE_UNIT = re.compile(r"\d+(?:\.\d+)?%?[万亿]?[\u4e00-\u9fff]")


def page_text(place: str, seed: int) -> list[str]:
    """The paragraphs of one full page of an invented report about `place`."""
    _, paragraphs = docs.long_report(place=place, pages=3, seed=seed)
    page, y = [], 200
    for paragraph in paragraphs:
        height = -(-len(paragraph) // 40) * 52 + 30
        if y + height > _PAGE_BOTTOM:
            break
        page.append(paragraph)
        y += height
    return page


def make_pages(folder: Path, pages: int) -> list[dict[str, str]]:
    """Write every variant of `pages` pages as image files; (file, variant, truth) for each."""
    out = []
    for n in range(pages):
        paragraphs = page_text(PLACES[n % len(PLACES)], seed=11 + n)
        for variant, how in VARIANTS.items():
            image = docs.page_image(paragraphs, rotate=how["rotate"], blur=how["blur"])
            if how.get("phone"):
                image = docs.phone_photo(image, seed=n)
            if how.get("long_side"):
                scale = how["long_side"] / max(image.size)
                image = image.resize((round(image.width * scale), round(image.height * scale)))
            path = folder / f"p{n}-{len(out)}.{'jpg' if how.get('phone') else 'png'}"
            image.save(path)
            out.append({"file": str(path), "variant": variant, "truth": "\n".join(paragraphs)})
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost one)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def score(read: str, truth: str) -> dict[str, float | int]:
    """Character error rates on all text and on the figures, and figure-and-unit strings read intact."""
    read, truth = _flat(read), _flat(truth)
    figures_truth = " ".join(_FIGURE.findall(truth))
    figures_read = " ".join(_FIGURE.findall(read))
    wanted = Counter(_FIGURE_UNIT.findall(truth))
    got = Counter(_FIGURE_UNIT.findall(read))
    return {
        "chars": len(truth),
        "errors": edit_distance(read, truth),
        "figure chars": len(figures_truth),
        "figure errors": edit_distance(figures_read, figures_truth),
        "figures": sum(wanted.values()),
        "figures intact": sum(min(n, got[f]) for f, n in wanted.items()),
    }


def _tesseract_reader():
    from index.readers.ocr import ocr_image

    def read(image) -> str:
        return "\n".join(ocr_image(image).paragraphs)

    return read


def _rapidocr_reader():
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(image) -> str:
        boxes, _ = engine(np.array(image.convert("RGB")))
        return "\n".join(text for _, text, _ in boxes or [])

    return read


def engine_name(engine: str) -> str:
    """The engine with its version, as the table names it."""
    from importlib.metadata import version

    if engine.startswith("tesseract"):
        first = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[
            0
        ]
        threads = f"OpenMP threads: {os.cpu_count()}" if engine.endswith("threads") else "one thread"
        return f"Tesseract {first.split()[-1]} chi_sim+eng, {threads} (index/readers/ocr.py)"
    return f"RapidOCR {version('rapidocr-onnxruntime')} (PP-OCRv4 on onnxruntime {version('onnxruntime')})"


def worker(engine: str, pages_file: Path) -> None:
    """Read every page with one engine; print one JSON line a page and one with the peak memory."""
    from PIL import Image

    started = time.perf_counter()
    read = _rapidocr_reader() if engine == "rapidocr" else _tesseract_reader()
    print(json.dumps({"load_s": time.perf_counter() - started}), flush=True)
    for page in json.loads(pages_file.read_text(encoding="utf-8")):
        image = Image.open(page["file"])
        image.load()
        started = time.perf_counter()
        text = read(image)
        print(
            json.dumps({"file": page["file"], "text": text, "s": time.perf_counter() - started}), flush=True
        )
    # Tesseract runs as its own program: its peak is the children's; RapidOCR runs in this process.
    who = resource.RUSAGE_SELF if engine == "rapidocr" else resource.RUSAGE_CHILDREN
    print(json.dumps({"peak_mb": resource.getrusage(who).ru_maxrss / 1024}), flush=True)


def compare(pages: int, engines: tuple[str, ...]) -> list[dict[str, object]]:
    """One row per (variant, engine) and one per engine over all pages."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        made = make_pages(Path(tmp), pages)
        pages_file = Path(tmp) / "pages.json"
        pages_file.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
        for engine in engines:
            threads = str(os.cpu_count()) if engine.endswith("threads") else "1"
            env = {**os.environ, "OMP_THREAD_LIMIT": threads}
            run = subprocess.run(
                [sys.executable, "-m", "eval.ocr", "--worker", engine, str(pages_file)],
                capture_output=True,
                text=True,
                check=False,
                env=env,
            )
            if run.returncode != 0:  # a candidate not installed here (only the chosen one is a requirement)
                rows.append({"pages": "all", "engine": engine, "CER all text": run.stderr.strip()[-120:]})
                continue
            lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
            read = {line["file"]: line for line in lines if "file" in line}
            peak = next(line["peak_mb"] for line in lines if "peak_mb" in line)
            load = next(line["load_s"] for line in lines if "load_s" in line)
            name = engine_name(engine)
            for variant in [*VARIANTS, "all pages"]:
                chosen = [p for p in made if variant in ("all pages", p["variant"])]
                scores = [score(read[p["file"]]["text"], p["truth"]) for p in chosen]
                total = {k: sum(s[k] for s in scores) for k in scores[0]}
                rows.append(
                    {
                        "pages": f"{variant} ({len(chosen)})",
                        "engine": name,
                        "CER all text": f"{100 * total['errors'] / total['chars']:.2f}%",
                        "CER figures": f"{100 * total['figure errors'] / total['figure chars']:.2f}%",
                        "figures intact": f"{total['figures intact']}/{total['figures']}",
                        "s a page (median)": f"{statistics.median(read[p['file']]['s'] for p in chosen):.1f}",
                        "peak MB": f"{peak:.0f}" if variant == "all pages" else "",
                        "load s": f"{load:.1f}" if variant == "all pages" else "",
                    }
                )
    return rows


def render(rows: list[dict[str, object]]) -> str:
    keys = max((list(row) for row in rows), key=len)
    return table(keys, [[str(row.get(k, "")) for k in keys] for row in rows], left=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.ocr", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2, help="pages of text, each read in every variant")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--out", type=Path, default=None, help="also write the table to this Markdown file")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "PAGES_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return 0
    rendered = render(compare(args.pages, tuple(args.engines)))
    print(rendered)
    if args.out:
        args.out.write_text(rendered + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
