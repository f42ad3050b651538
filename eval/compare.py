"""The cross-report gold set (eval/gold_compare.jsonl): tables, superlatives and lists, scored on rows and items.

Questions are asked over the seeds plus the training reports (../shared/training-reports/texts, read in place
and copied only into a temporary seeds folder, never into the repository). A row counts when its place and
figure match a gold row; an item when its text matches a gold item (either holding the other, compared without
quotes, spaces and punctuation); a superlative when its places and verdict (best, tie, incomparable) match.

    python -m eval --cross [--report eval/REPORT.md]   (or python -m eval.compare [--gold FILE] [--training DIR]
    [--index-dir DIR] [--json] [--report FILE])
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .markdown import table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = Path(__file__).resolve().parent / "gold_compare.jsonl"
DEFAULT_TRAINING = ROOT.parent / "shared" / "training-reports" / "texts"
DEFAULT_INDEX = ROOT / ".index-compare"
KINDS = ("table", "superlative", "list")
_STRIP = re.compile(r"[\s“”\"'《》「」『』()（）,，、。:：;；!！?？·]")


@dataclass(frozen=True)
class CrossItem:
    """One gold question across reports: the stated rows, the superlative's reading, or the list's items."""

    id: str
    question: str
    kind: str
    rows: tuple[tuple[str, str], ...] = ()  # (place, figure as written)
    best: tuple[str, ...] = ()
    verdict: str | None = None
    items: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def load_cross_gold(path: str | Path) -> list[CrossItem]:
    """Read and check the cross-report gold file; ValueError naming the line and field at fault."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"gold file {path} not found; pass --gold FILE with one JSON question per line"
        )
    out, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
        for key in ("id", "question", "kind"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ValueError(f"{path}:{number}: field {key!r} must be a non-empty string")
        if data["kind"] not in KINDS:
            raise ValueError(f"{path}:{number}: kind {data['kind']!r} is not one of {', '.join(KINDS)}")
        if data["id"] in seen:
            raise ValueError(f"{path}:{number}: id {data['id']!r} repeats an earlier line")
        seen.add(data["id"])
        rows = tuple((r["place"], r["answer"]) for r in data.get("rows", ()))
        if data["kind"] != "list" and not rows:
            raise ValueError(f"{path}:{number}: a {data['kind']} question needs its stated rows in 'rows'")
        if data["kind"] == "list" and len(data.get("items", ())) < 2:
            raise ValueError(f"{path}:{number}: a list question needs at least two 'items'")
        if data["kind"] == "superlative" and data.get("verdict") not in ("best", "tie", "incomparable"):
            raise ValueError(f"{path}:{number}: a superlative needs 'verdict': best, tie or incomparable")
        out.append(
            CrossItem(
                id=data["id"],
                question=data["question"],
                kind=data["kind"],
                rows=rows,
                best=tuple(data.get("best", ())),
                verdict=data.get("verdict"),
                items=tuple(data.get("items", ())),
                sources=tuple(data.get("sources", ())),
            )
        )
    return out


def _norm(text: str) -> str:
    return _STRIP.sub("", text or "")


MIN_ITEM_OVERLAP = (
    0.6  # 一送慰问 for 送慰问 (0.75) or 产业工会1个 for 产业工会 (0.67) match; 差距 for 帮助找差距 does not
)


def _same_item(got: str, gold: str) -> bool:
    a, b = _norm(got), _norm(gold)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short in long and len(short) / len(long) >= MIN_ITEM_OVERLAP


def _same_place(got: str, gold: str) -> bool:
    return bool(got) and bool(gold) and (got == gold or got in gold or gold in got)


@dataclass
class CrossScore:
    """How one answer fares: matched rows/items against returned and gold ones; the superlative's reading."""

    id: str
    kind: str
    returned: int
    matched_returned: int  # returned rows/items that match a gold one (precision's numerator)
    gold: int
    matched_gold: int  # gold rows/items found (recall's numerator)
    superlative_right: bool | None = None
    answer: str | None = None
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def score(item: CrossItem, answer) -> CrossScore:
    """Score one Answer against its gold question."""
    if item.kind == "list":
        got = [i.text for i in answer.items]
        gold = list(item.items)
        ok_got = [g for g in got if any(_same_item(g, x) for x in gold)]
        ok_gold = [x for x in gold if any(_same_item(g, x) for g in got)]
        wrong = [g for g in got if g not in ok_got]
        missed = [x for x in gold if x not in ok_gold]
        return CrossScore(
            item.id,
            item.kind,
            len(got),
            len(ok_got),
            len(gold),
            len(ok_gold),
            None,
            answer.answer,
            wrong,
            missed,
        )
    rows = [(r.place, r.answer) for r in (answer.table.rows if answer.table else ()) if r.answer is not None]

    def match(a, b):
        return _same_place(a[0], b[0]) and _norm(a[1]) == _norm(b[1])

    ok_got = [r for r in rows if any(match(r, g) for g in item.rows)]
    ok_gold = [g for g in item.rows if any(match(r, g) for r in rows)]
    right = None
    if item.kind == "superlative":
        table = answer.table
        right = bool(
            table is not None
            and table.verdict == item.verdict
            and len(table.best) == len(item.best)
            and all(any(_same_place(b, g) for b in table.best) for g in item.best)
        )
    return CrossScore(
        item.id,
        item.kind,
        len(rows),
        len(ok_got),
        len(item.rows),
        len(ok_gold),
        right,
        answer.answer,
        [f"{p} {a}" for p, a in rows if (p, a) not in ok_got],
        [f"{p} {a}" for p, a in item.rows if (p, a) not in ok_gold],
    )


def summarise(scores: list[CrossScore]) -> dict[str, Any]:
    """Row and item precision and recall (pooled over questions), superlatives right, per kind."""

    def pooled(group: list[CrossScore]) -> dict[str, Any]:
        returned = sum(s.returned for s in group)
        gold = sum(s.gold for s in group)
        return {
            "questions": len(group),
            "returned": returned,
            "precision": round(sum(s.matched_returned for s in group) / returned, 3) if returned else None,
            "gold": gold,
            "recall": round(sum(s.matched_gold for s in group) / gold, 3) if gold else None,
        }

    tables = [s for s in scores if s.kind in ("table", "superlative")]
    lists = [s for s in scores if s.kind == "list"]
    supers = [s for s in scores if s.kind == "superlative"]
    return {
        "rows": pooled(tables),
        "items": pooled(lists),
        "superlatives": {
            "questions": len(supers),
            "right": sum(bool(s.superlative_right) for s in supers),
            "share": round(sum(bool(s.superlative_right) for s in supers) / len(supers), 3)
            if supers
            else None,
        },
    }


def corpus(training: Path, into: Path) -> Path:
    """A seeds folder holding the project's seeds and the training reports (with their sidecars)."""
    into.mkdir(parents=True, exist_ok=True)
    for folder in (ROOT / "seeds", training):
        if not folder.is_dir():
            raise FileNotFoundError(
                f"{folder} not found; pass --training DIR (the training reports' texts folder)"
            )
        for path in sorted(folder.iterdir()):
            if path.is_file() and (path.suffix == ".txt" or path.name.endswith(".meta.json")):
                shutil.copyfile(path, into / path.name)
    return into


def load_assistant(training: Path, index_dir: Path):
    """The assistant over seeds + training reports, built into index_dir when missing or stale."""
    from qa import Assistant

    seeds = corpus(training, Path(tempfile.mkdtemp(prefix="compare-seeds-")))
    return Assistant.load(index_dir, build_if_missing=True, seeds_dir=seeds)


def run(items: list[CrossItem], assistant) -> tuple[list[CrossScore], float]:
    """Ask every gold question; the scores and the median ask() time in ms."""
    scores, times = [], []
    for item in items:
        started = time.perf_counter()
        answer = assistant.ask(item.question)
        times.append((time.perf_counter() - started) * 1000)
        scores.append(score(item, answer))
    times.sort()
    return scores, times[len(times) // 2] if times else 0.0


def render(summary: dict[str, Any], scores: list[CrossScore], *, gold: str, median_ms: float) -> str:
    """The Markdown section for eval/REPORT.md."""
    r, i, s = summary["rows"], summary["items"], summary["superlatives"]
    figures = [
        ("table questions (incl. superlatives)", r["questions"]),
        (f"row precision ({r['returned']} rows given)", r["precision"]),
        (f"row recall ({r['gold']} gold rows)", r["recall"]),
        ("superlatives right", f"{s['right']} / {s['questions']}"),
        ("list questions", i["questions"]),
        (f"item precision ({i['returned']} items given)", i["precision"]),
        (f"item recall ({i['gold']} gold items)", i["recall"]),
        ("ask() median (ms)", f"{median_ms:.1f}"),
    ]
    lines = [
        "## Questions across reports (tables, superlatives, lists)",
        "",
        f"`python -m eval --cross` over `{gold}` ({len(scores)} questions) on the seeds plus the training reports; "
        "a row counts when its place and figure match a gold row, an item when its text matches a gold item "
        f"(the shorter inside the longer, at least {MIN_ITEM_OVERLAP:.0%} of it). The set was written from the texts "
        "before the assistant ran on it, but the measure and list rules were then refined while reading its failures: "
        "these are development figures. The short invented reports of tests/qa/test_compare.py check that the rules "
        "are general. Single-answer questions keep their figures: against the code before this feature (65295e9, "
        "its scorer weights), eval/gold.jsonl answer accuracy 0.940 → 0.940 (two list answers now as the text writes "
        "them, both right) and eval/gold_training.jsonl (on this combined index) 0.652 → 0.657; against main after "
        "the scorer refit (aebfcf8), 0.923 → 0.923 (no answer changed) and 0.696 → 0.701.",
        "",
        table(["measure", "value"], figures),
    ]
    failing = [x for x in scores if x.wrong or x.missed or x.superlative_right is False]
    if failing:
        rows = [
            [x.id, (x.answer or "(none)")[:60], "; ".join(x.wrong)[:80], "; ".join(x.missed)[:80]]
            for x in failing
        ]
        lines += ["", table(["id", "answer", "wrong", "missed"], rows, left=4)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.compare", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--training", type=Path, default=DEFAULT_TRAINING, help="the training reports' texts")
    parser.add_argument(
        "--index-dir", type=Path, default=DEFAULT_INDEX, help="where the combined index is built"
    )
    parser.add_argument("--json", action="store_true", help="print every score as JSON")
    parser.add_argument(
        "--report", type=Path, help="replace this section in a Markdown report (eval/REPORT.md)"
    )
    args = parser.parse_args(argv)
    try:
        items = load_cross_gold(args.gold)
        assistant = load_assistant(args.training, args.index_dir)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scores, median_ms = run(items, assistant)
    summary = summarise(scores)
    if args.json:
        print(
            json.dumps(
                {"summary": summary, "scores": [asdict(s) for s in scores]}, ensure_ascii=False, indent=2
            )
        )
        return 0
    text = render(summary, scores, gold=str(args.gold.name), median_ms=median_ms)
    print(text)
    if args.report:
        _replace_section(args.report, text)
    return 0


def _replace_section(path: Path, section: str) -> None:
    """Put the section into the report, replacing an earlier copy of it."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    title = section.splitlines()[0]
    if title in old:
        start = old.index(title)
        rest = old[start + len(title) :]
        end = rest.find("\n## ")
        old = old[:start] + (rest[end + 1 :] if end >= 0 else "")
    path.write_text(old.rstrip("\n") + "\n\n" + section, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
