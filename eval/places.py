"""The place gold set: python -m eval.places [--json] runs eval/gold_places.jsonl on the reports it writes.

The reports (eval/place_reports.py: a county, a district, a declared report, a neighbour province's city;
real places, invented figures) are written to a temporary seeds folder and indexed there, so nothing in
this set was seen when the assistant was built or tuned.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from .gold import load_gold
from .place_reports import write_reports
from .report import render
from .runner import DEFAULT_CONFIG, run_configs

PLACE_GOLD = Path(__file__).resolve().parent / "gold_places.jsonl"


def run(*, k: int = 5, embedder=None):
    """Build an index of the place reports in a temporary folder and run the place gold set on it."""
    from index.build import build_index
    from index.encode.embedder import Embedder

    embedder = embedder or Embedder.load()
    items = load_gold(PLACE_GOLD)
    with tempfile.TemporaryDirectory(prefix="eval-places-") as tmp:
        seeds = write_reports(Path(tmp) / "seeds")
        build_index(seeds, Path(tmp) / "idx", embedder=embedder, quiet=True)
        return run_configs(items, index_dir=Path(tmp) / "idx", k=k, names=[DEFAULT_CONFIG], embedder=embedder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.places", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    runs = run()
    if args.json:
        print(
            json.dumps(
                {"gold": "eval/gold_places.jsonl", "runs": [r.to_dict() for r in runs]}, ensure_ascii=False
            )
        )
    else:
        print(render(runs, gold="eval/gold_places.jsonl"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
