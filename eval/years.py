"""Years read from the text against declared ones: python -m eval.years [--training DIR] [--json].

Each training report (../shared/training-reports/texts) is read as the build reads it, with its date sidecar
hidden, and the year its text gives (index.text.articles.infer_date) is compared with the year the sidecar
declares: how many agree, how many give another year, how many give none.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from .markdown import table as markdown_table
from .world import training_dir


@dataclass(frozen=True)
class YearCheck:
    """One report: the declared year, the year read from its text (None: none), what gave it, the evidence."""

    source: str
    declared: int
    inferred: int | None
    by: str | None
    evidence: str | None

    @property
    def agrees(self) -> bool:
        return self.inferred == self.declared


def check_years(texts: Path) -> list[YearCheck]:
    """Every report of the folder with a declared date, its year inferred with the sidecar hidden."""
    from index.places.metadata import read_declared
    from index.readers.read import list_reports, read_report
    from index.text.articles import split_articles
    from index.text.layout import classify, split_lines

    out = []
    for path in list_reports(texts):
        declared = read_declared(path)
        if declared.year is None:
            continue
        articles = split_articles(path.name, classify(split_lines(read_report(path))))
        first = next((a for a in articles if a.year is not None), articles[0] if articles else None)
        out.append(
            YearCheck(
                path.name,
                declared.year,
                first.year if first else None,
                first.date_from if first else None,
                first.date_evidence if first else None,
            )
        )
    return out


def summary(checks: list[YearCheck]) -> dict[str, float | int]:
    """Counts and shares: agree, another year, none; precision of the years given."""
    given = [c for c in checks if c.inferred is not None]
    agree = sum(c.agrees for c in checks)
    return {
        "reports": len(checks),
        "agree": agree,
        "other_year": len(given) - agree,
        "none": len(checks) - len(given),
        "agreement": round(agree / len(checks), 3) if checks else 0.0,
        "precision": round(agree / len(given), 3) if given else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.years", description=__doc__.splitlines()[0])
    parser.add_argument("--training", type=Path, default=None, help="the training-reports folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args(argv)
    texts = training_dir(args.training)
    if texts is None:
        print("note: ../shared/training-reports is absent; nothing to measure", file=sys.stderr)
        return 0
    checks = check_years(texts)
    figures = summary(checks)
    if args.json:
        print(json.dumps({"summary": figures, "reports": [c.__dict__ for c in checks]}, ensure_ascii=False))
        return 0
    print(markdown_table(list(figures), [list(figures.values())]))
    print()
    rows = [
        [
            c.source,
            c.declared,
            c.inferred or "—",
            c.by or "—",
            "✓" if c.agrees else "✗",
            (c.evidence or "")[:40],
        ]
        for c in checks
    ]
    print(markdown_table(["report", "declared", "inferred", "by", "", "evidence"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
