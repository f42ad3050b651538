"""The training world: one index over the seed reports and the training reports, and every gold set on it.

The training reports are third-party texts in ../shared/training-reports/texts (with their date sidecars); they
are read from there and copied only into an ignored cache folder (.world/), never into the repository. The
index is cached there too and rebuilt only when a report or the indexing code changes (unchanged passages
keep their vectors), since building it is the slow part of an evaluation.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .gold import DEFAULT_GOLD, GoldItem, load_gold

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Beside the checkout, as in CI; a checkout elsewhere (a git worktree) names the folder in QA_TRAINING_REPORTS.
TRAINING = Path(os.environ.get("QA_TRAINING_REPORTS") or ROOT.parent / "shared" / "training-reports")
CACHE = ROOT / ".world"
PLACES_GOLD = Path(__file__).resolve().parent / "gold_places.jsonl"
OWN_TRAINING_GOLD = Path(__file__).resolve().parent / "gold_training.jsonl"
FEEDBACK_GOLD = Path(__file__).resolve().parent / "gold_feedback.jsonl"  # accepted in the 反馈 tab
_STAMP = "code.sha256"


@dataclass(frozen=True)
class GoldSet:
    """One gold file's questions, under a short name for the tables."""

    name: str
    path: Path
    items: tuple[GoldItem, ...]


def training_dir(training: Path | None = None) -> Path | None:
    """The training reports' folder, or None (with nothing to fit on but the seeds) when it is absent."""
    folder = (Path(training) if training else TRAINING) / "texts"
    return folder if folder.is_dir() and any(folder.glob("*.txt")) else None


def gold_sets(
    training: Path | None = None, *, feedback: bool = False, feedback_gold: Path = FEEDBACK_GOLD
) -> list[GoldSet]:
    """Every gold set of the world: the seeds', the training reports' and our own on them (those present), and
    with `feedback` the accepted staff feedback (an error when there is none to take)."""
    paths = [("seeds", DEFAULT_GOLD)]
    base = Path(training) if training else TRAINING
    if training_dir(training) is not None:
        paths += [(p.stem.replace("gold-", "training-"), p) for p in sorted(base.glob("gold-*.jsonl"))]
    if OWN_TRAINING_GOLD.is_file() and training_dir(training) is not None:
        paths.append(("training-own", OWN_TRAINING_GOLD))
    if feedback:
        if not Path(feedback_gold).is_file():
            raise FileNotFoundError(
                f"--feedback: {feedback_gold} is missing; accept feedback in the app's 反馈 tab first"
            )
        paths.append(("feedback", Path(feedback_gold)))
    sets, seen = [], set()
    for name, path in paths:
        items = tuple(i for i in load_gold(path) if i.id not in seen)
        seen.update(i.id for i in items)
        sets.append(GoldSet(name, path, items))
    return sets


def _code_hash() -> str:
    """A digest of the indexing code: a change to how reports are read rebuilds the cached index."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "index").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def assemble(folder: Path, training: Path | None = None) -> Path:
    """Copy the seeds and the training reports (with sidecars) into `folder`, in step with their sources."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path] = {p.name: p for p in sorted(SEEDS.iterdir()) if p.is_file()}
    texts = training_dir(training)
    if texts is not None:
        wanted.update({p.name: p for p in sorted(texts.iterdir()) if p.is_file()})
    for stale in folder.iterdir():
        if stale.name not in wanted:
            stale.unlink()
    for name, source in wanted.items():
        target = folder / name
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    return folder


def _cached_index(seeds: Path, folder: Path, embedder=None) -> Path:
    """folder/index built from seeds, rebuilt when the indexing code or a report changed since the last build."""
    from index.build import build_index
    from index.errors import IndexProblem
    from index.loaded import Index

    index_dir = folder / "index"
    stamp = folder / _STAMP
    code = _code_hash()
    fresh = stamp.is_file() and stamp.read_text() == code
    if fresh:
        try:
            Index.load(index_dir, seeds_dir=seeds)
        except IndexProblem:
            fresh = False
    if not fresh:
        build_index(seeds, index_dir, embedder=embedder, quiet=True)
        stamp.write_text(code)
    return index_dir


def world_index(*, cache: Path = CACHE, training: Path | None = None, embedder=None) -> Path:
    """The world's index folder, built (or refreshed) when a report or the indexing code changed."""
    return _cached_index(assemble(cache / "seeds", training), cache, embedder)


def all_items(sets: Sequence[GoldSet]) -> list[GoldItem]:
    return [i for s in sets for i in s.items]


def places_index(*, cache: Path = CACHE, embedder=None) -> Path:
    """The index of the place gold set's own reports (eval/place_reports.py), cached like the world's."""
    from .place_reports import write_reports

    seeds = cache / "places" / "seeds"
    if seeds.is_dir():
        shutil.rmtree(seeds)
    write_reports(seeds)
    return _cached_index(seeds, cache / "places", embedder)


def add_target_option(parser: argparse.ArgumentParser) -> None:
    """--target, for both commands that fit on the world (python -m eval --world, python -m eval.fit --world)."""
    parser.add_argument(
        "--target",
        type=_precision,
        default=None,
        help="with --world: the precision of given answers the decline threshold is chosen for, on held-out "
        "decisions (default: eval/fit/abstain.py TARGET)",
    )


def _precision(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text}: a precision between 0 and 1, e.g. 0.9")
    return value
