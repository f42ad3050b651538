"""The on-disk index: load with every check; its passages, row filters, and the store `qa/` searches."""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IndexCorruptError, IndexMissingError, IndexStaleError, IndexUnreadableError
from .manifest import MANIFEST, read_manifest, sha256_file
from .passage import Passage
from .places.metadata import is_sidecar
from .readers.read import SUPPORTED_SUFFIXES, is_regular
from .schema import check_manifest
from .settings import PROJECT_ROOT, SEEDS_ENV, settings
from .store import Store, open_store, required_files
from .store.spec import StoreSpec, manifest_store
from .text.figures import YEAR

DEFAULT_SEEDS = PROJECT_ROOT / "seeds"
PASSAGES_FILE = "passages.jsonl"
REBUILD = "python -m index build"
_YEAR_NAMED = re.compile(rf"(?<!\d)({YEAR})(?=\s*年)")


def default_index_dir() -> Path:
    """The settings' index folder: $QA_INDEX_DIR, else .index/ in the project (gitignored)."""
    return settings().index_dir


def default_seeds_dir() -> Path:
    """The settings' seeds folder: $QA_SEEDS_DIR, else the project's seeds/; FileNotFoundError saying what to pass."""
    if settings().seeds_dir is None:
        raise FileNotFoundError(
            f"no seeds folder: this is an installed copy without the project's seeds/; "
            f"pass --seeds DIR (seeds_dir=) or set {SEEDS_ENV}"
        )
    return settings().seeds_dir


def embed_text(passage: Passage) -> str:
    """What the dense leg embeds: the passage with its city and article title, since most passages never name them."""
    return f"{passage.city or ''}｜{passage.title}｜{passage.text}"


def seed_hashes(seeds_dir: Path) -> dict[str, str]:
    """sha256 of every report file and every report's metadata sidecar in a seeds folder, by file name."""
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        return {}
    return {
        p.name: sha256_file(p)
        for p in sorted(seeds_dir.iterdir())
        if is_regular(p) and (p.suffix.lower() in SUPPORTED_SUFFIXES or is_sidecar(p))
    }


class Index:
    """Passages and the store that searches them (FAISS + BM25, or Milvus), loaded from one checked directory."""

    def __init__(self, directory: Path, manifest: dict[str, Any], passages: list[Passage], store: Store):
        self.directory = directory
        self.manifest = manifest
        self.passages = passages
        self.store = store
        self._by_id = {p.id: i for i, p in enumerate(passages)}
        self._cities = np.array([p.city or "" for p in passages])
        self._places = np.array([p.place or "" for p in passages])
        self._sources = np.array([p.source for p in passages])

    # --- loading -------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        directory: str | Path | None = None,
        *,
        model_sha256: str | None = None,
        seeds_dir: str | Path | None = None,
        verify: bool = True,
        store: StoreSpec | None = None,
    ) -> Index:
        """Load and check an index: files against their checksums, the model's weights, and the seeds if given.

        `store` (default: what the manifest names) must match the manifest's, else IndexStaleError (rebuild).

        Raises IndexMissingError, IndexCorruptError, IndexStaleError or IndexUnreadableError (permissions, I/O),
        each with the file and the fix in the message.
        """
        directory = Path(directory) if directory else default_index_dir()
        fix = f"run: {REBUILD} --index-dir {directory}"
        try:
            return cls._load(
                directory, fix, model_sha256=model_sha256, seeds_dir=seeds_dir, verify=verify, store=store
            )
        except OSError as exc:  # permissions, I/O: the index may be fine, this process cannot read it
            where = exc.filename or directory
            advice = (
                f"give the user running this read access (e.g. chmod -R a+rX {directory.resolve()})"
                if isinstance(exc, PermissionError)
                else "check the disk"
            )
            raise IndexUnreadableError(
                f"{where} cannot be read ({exc.strerror or exc}); {advice}, or {fix}"
            ) from exc

    @classmethod
    def _load(
        cls,
        directory: Path,
        fix: str,
        *,
        model_sha256: str | None,
        seeds_dir: str | Path | None,
        verify: bool,
        store: StoreSpec | None = None,
    ) -> Index:
        if not (directory / MANIFEST).exists():
            if directory.exists() and any(directory.iterdir()):
                raise IndexCorruptError(f"{directory / MANIFEST} is missing; {fix}")
            raise IndexMissingError(f"no index at {directory}; {fix}")
        try:
            manifest = read_manifest(directory)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise IndexCorruptError(f"{directory / MANIFEST} is not valid JSON ({exc}); {fix}") from exc
        check_manifest(manifest, directory, fix, required_files=required_files(manifest))
        if verify:
            cls._verify_files(directory, manifest, fix)
        if model_sha256 and manifest["model"]["sha256"] != model_sha256:
            raise IndexStaleError(
                f"{directory} was built with model {manifest['model']['name']} (weights sha256 "
                f"{manifest['model']['sha256'][:12]}…), not the model loaded now ({model_sha256[:12]}…); {fix}"
            )
        if seeds_dir is not None:
            check_seeds(manifest, Path(seeds_dir), fix)
        try:
            built = manifest_store(manifest)
        except (ValueError, AttributeError, TypeError) as exc:
            raise IndexCorruptError(
                f"{directory / MANIFEST} has an unusable store block ({exc}); {fix}"
            ) from exc
        if store is not None and store.to_dict() != built.to_dict():
            raise IndexStaleError(
                f"{directory} is served by {built.kind} {built.uri or ''}, not the {store.kind} "
                f"{store.uri or ''} asked for; {fix} --store {store.kind}"
                + (f" --milvus-uri {store.uri}" if store.uri else "")
            )
        passages = cls._read_passages(directory / PASSAGES_FILE, fix)
        token = store.token if store else None
        return cls(
            directory, manifest, passages, open_store(built, directory, manifest, passages, fix, token=token)
        )

    @staticmethod
    def _verify_files(directory: Path, manifest: dict[str, Any], fix: str) -> None:
        for name, expected in manifest["files"].items():
            path = directory / name
            if not path.exists():
                raise IndexCorruptError(f"{path} is missing; {fix}")
            if path.stat().st_size != expected["bytes"]:
                raise IndexCorruptError(
                    f"{path} is {path.stat().st_size} bytes, the manifest says {expected['bytes']} (truncated?); {fix}"
                )
            if sha256_file(path) != expected["sha256"]:
                raise IndexCorruptError(f"{path} fails its sha256 checksum (changed or corrupted); {fix}")

    @staticmethod
    def _read_passages(path: Path, fix: str) -> list[Passage]:
        passages = []
        with path.open("rb") as fh:
            for number, line in enumerate(fh, 1):
                try:
                    passages.append(Passage.from_dict(json.loads(line.decode("utf-8"))))
                except (ValueError, KeyError, TypeError, AttributeError) as exc:  # JSON and UTF-8 errors too
                    raise IndexCorruptError(
                        f"{path} line {number} is not a valid passage ({exc}); {fix}"
                    ) from exc
        return passages

    # --- what is inside ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.passages)

    def by_id(self, passage_id: str) -> Passage:
        """The passage with this id; KeyError naming it when there is none."""
        if passage_id not in self._by_id:
            raise KeyError(
                f"no passage {passage_id!r} in {self.directory}; `python -m index stats` lists the sources"
            )
        return self.passages[self._by_id[passage_id]]

    def cities(self) -> list[str]:
        """The cities the indexed articles are about (computed once: it is asked on every question)."""
        return list(self._city_list)

    @cached_property
    def _city_list(self) -> tuple[str, ...]:
        return tuple(sorted({p.city for p in self.passages if p.city}))

    def years_named(self, passage: Passage) -> frozenset[int]:
        """The years the passage's article names anywhere (2018年…): what it covers, not when it was written."""
        return self._article_years.get((passage.source, passage.title), frozenset())

    @cached_property
    def _article_years(self) -> dict[tuple[str, str], frozenset[int]]:
        years: dict[tuple[str, str], set[int]] = {}
        for p in self.passages:
            found = {int(y) for y in _YEAR_NAMED.findall(p.text)}
            years.setdefault((p.source, p.title), set()).update(found)
        return {key: frozenset(v) for key, v in years.items()}

    def place_codes(self) -> frozenset[str]:
        """The division codes of the places the indexed articles are about."""
        return self._place_codes

    @cached_property
    def _place_codes(self) -> frozenset[str]:
        return frozenset(p.place for p in self.passages if p.place)

    def place_of(self, city: str) -> str | None:
        """The division code of an indexed place by its label (龙岩 -> 350800), None when no article is about it."""
        return self._code_by_label.get(city)

    @cached_property
    def _code_by_label(self) -> dict[str, str]:
        return {p.city: p.place for p in self.passages if p.city and p.place}

    def sources(self) -> list[dict[str, Any]]:
        """One row per report file: its name, its articles' titles, cities and years."""
        return [dict(row) for row in self._source_rows]

    @cached_property
    def _source_rows(self) -> tuple[dict[str, Any], ...]:
        rows: dict[str, dict[str, Any]] = {}
        for p in self.passages:
            row = rows.setdefault(
                p.source,
                {
                    "source": p.source,
                    "titles": [],
                    "cities": [],
                    "years": [],
                    "places": [],
                    "dates": [],
                    "declared": [],
                    "dated_by": [],  # what gave each date (index.passage: declared, header, … title, text)
                    "date_evidence": [],  # for dates inferred from the text, the sentences
                },
            )
            pairs = (
                ("titles", p.title),
                ("cities", p.city),
                ("years", p.year),
                ("places", " › ".join(reversed(p.place_chain)) or None),
                ("dates", p.date),
                ("dated_by", p.date_from),
                ("date_evidence", p.date_evidence),
            )
            for key, value in pairs + tuple(("declared", d) for d in p.declared):
                if value is not None and value not in row[key]:
                    row[key].append(value)
        return tuple(rows[k] for k in sorted(rows))

    def rows_for(
        self, *, city: str | None = None, source: str | None = None, places: frozenset[str] | None = None
    ) -> np.ndarray | None:
        """Row numbers of the passages of a city, of articles about `places` (codes), and/or of a report.

        None means every row.
        """
        if city is None and source is None and places is None:
            return None
        mask = np.ones(len(self.passages), dtype=bool)
        if city is not None:
            mask &= self._cities == city
        if places is not None:
            mask &= np.isin(self._places, sorted(places))
        if source is not None:
            mask &= self._sources == source
        return np.flatnonzero(mask)

    def with_store(self, store: Store) -> Index:
        """The same passages searched by another store (e.g. Milvus's other keyword leg, for comparisons)."""
        return type(self)(self.directory, self.manifest, self.passages, store)

    # --- the store seam: qa searches through self.store (index.store.base.Store) -----------------
    def stored_vectors(self) -> np.ndarray:
        """Every passage's vector, row by row (a build reuses the unchanged ones)."""
        return self.store.stored_vectors()

    def document_frequencies(self) -> dict[str, int]:
        """How many passages hold each token (qa weighs question terms by them)."""
        return self.store.document_frequencies()


def check_seeds(manifest: dict[str, Any], seeds_dir: Path, fix: str) -> None:
    """IndexStaleError when report files were changed, added or removed since the build."""
    now = seed_hashes(seeds_dir)
    built = manifest.get(
        "sources", {}
    )  # unreadable files are listed too, so fixing one makes the index stale
    changed = [n for n in now if n in built and built[n] != now[n]]
    added = [n for n in now if n not in built]
    removed = [n for n in built if n not in now]
    problems = [f"{seeds_dir / n} changed" for n in changed] + [f"{seeds_dir / n} is new" for n in added]
    problems += [f"{n} was removed from {seeds_dir}" for n in removed]
    if problems:
        raise IndexStaleError(f"{'; '.join(problems)} since the index was built; {fix} --seeds {seeds_dir}")
