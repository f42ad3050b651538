"""Declared report metadata, the one module for its file format: a sidecar JSON beside a report (title, place, date).

The sidecar of `seeds/005_x.txt` is `seeds/005_x.txt.meta.json`, a JSON object with any of
`"title"` (text), `"place"` (a division's name: 慈溪, 慈溪市 or 浙江省宁波市慈溪市) and `"date"` ("2013",
"2013-06" or "2013-06-15"). Declared values win over the ones read from the text, for every article of
the report. A changed, added or removed sidecar makes the index stale, like a changed report.

One type (Declared) for what a sidecar holds; reading (read_declared: what the build uses; read_sidecar: the
report commands) and writing (make_meta, write_sidecar: `python -m index add` validates what a person declared
and writes only those keys) share one grammar.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import date as _date
from pathlib import Path

from ..errors import MetadataError, ReportReadError
from ..text.figures import YEAR

SIDECAR_SUFFIX = ".meta.json"
KEYS = ("title", "place", "date")
MAX_TITLE_CHARS = 200
_DATE = re.compile(rf"({YEAR})(?:-(\d{{2}})(?:-(\d{{2}}))?)?")


@dataclass(frozen=True)
class Declared:
    """What a report's sidecar declares, as written there (checked); None where it says nothing."""

    title: str | None = None
    place: str | None = None  # a division's name: 慈溪, 慈溪市 or 浙江省宁波市慈溪市
    date: str | None = None  # "2013", "2013-06" or "2013-06-15"

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def place_code(self) -> str | None:
        """The code of the division the declared place names."""
        found = _division(self.place)
        return found.code if found else None

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields declared: a subset of title, place, date."""
        return tuple(k for k in KEYS if getattr(self, k) is not None)

    def to_dict(self) -> dict[str, str]:
        """Only the declared keys: the sidecar's JSON object."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __bool__(self) -> bool:
        return bool(self.to_dict())


def sidecar_path(report: Path) -> Path:
    """Where a report's declared metadata lives: the report's file name plus .meta.json."""
    report = Path(report)
    return report.with_name(report.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return Path(path).name.endswith(SIDECAR_SUFFIX)


def read_declared(report: Path) -> Declared:
    """The report's declared metadata (empty when it has no sidecar).

    Raises ReportReadError naming the sidecar, the bad value, what is allowed and how to fix it.
    """
    path = sidecar_path(report)
    if not path.is_file():
        return Declared()
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportReadError(
            f"{path.name}: not valid UTF-8 JSON ({exc}); write an object such as "
            '{"title": "…", "place": "慈溪", "date": "2018-06"}'
        ) from exc
    if not isinstance(data, dict):
        raise ReportReadError(f"{path.name}: holds {type(data).__name__}, not a JSON object with keys {KEYS}")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ReportReadError(f"{path.name}: unknown keys {unknown}; allowed: {', '.join(KEYS)}")
    return Declared(
        title=_title(path, data.get("title")),
        place=_place(path, data.get("place")),
        date=_check_date(path, data.get("date")),
    )


def _title(path: Path, value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TITLE_CHARS:
        raise ReportReadError(
            f"{path.name}: title {value!r} must be non-empty text of at most {MAX_TITLE_CHARS} characters"
        )
    return " ".join(value.split())


def _division(name: str | None):
    from .matcher import resolve_name

    return resolve_name(name) if isinstance(name, str) else None


def _place(path: Path, value) -> str | None:
    if value is None:
        return None
    if _division(value) is None:
        from .gazetteer import gazetteer

        close = gazetteer().names_starting(value) if isinstance(value, str) else []
        if close:
            raise ReportReadError(
                f"{path.name}: place {value!r} is not one Chinese administrative division on its own; "
                f"did you mean {' or '.join(close)}?"
            )
        raise ReportReadError(
            f"{path.name}: place {value!r} is not a Chinese administrative division; write its name as in "
            "慈溪, 慈溪市 or 浙江省宁波市慈溪市"
        )
    return value


def _check_date(path: Path, value) -> str | None:
    if value is None:
        return None
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in match.groups())
        _date(year, month, day)
    except ValueError:
        raise ReportReadError(
            f'{path.name}: date {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD (1900-2099), e.g. "2013-06"'
        ) from None
    return value


PLACE_MAX = 20


def _text(value: str | None, key: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetadataError(f"{key}={value!r} is not text; give {key} as a string of 1..{limit} characters")
    cleaned = " ".join(value.split())
    if not cleaned:
        raise MetadataError(f"{key} is empty; give 1..{limit} characters or leave --{key} out")
    if len(cleaned) > limit:
        raise MetadataError(f"{key} has {len(cleaned)} characters, over the {limit} allowed; shorten it")
    return cleaned


def make_meta(*, title: str | None = None, place: str | None = None, date: str | None = None) -> Declared:
    """Validated metadata, by the rules the build's sidecar reader (read_declared) applies.

    Non-empty strings within their lengths, a place that names a Chinese division (南平, 慈溪市), a date
    YYYY, YYYY-MM or YYYY-MM-DD; MetadataError naming the option and the fix otherwise.
    """
    title, place = _text(title, "title", MAX_TITLE_CHARS), _text(place, "place", PLACE_MAX)
    date = None if date is None else str(date).strip()
    checks = (
        ("title", _title, title),
        ("place", _place, place),
        ("date", _check_date, date),
    )
    for key, check, value in checks:
        try:
            check(Path(f"--{key}"), value)  # the reader's own grammar: one rule for writing and reading
        except ReportReadError as exc:
            raise MetadataError(f"{exc}; fix --{key}") from exc
    return Declared(title, place, date)


def write_sidecar(report: Path, meta: Declared) -> Path:
    """Write the sidecar atomically (temp file, then rename); returns its path."""
    path = sidecar_path(report)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(meta.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_sidecar(report: Path) -> Declared:
    """read_declared for the report commands: a bad sidecar is a MetadataError saying to fix or delete it."""
    try:
        return read_declared(report)
    except ReportReadError as exc:
        raise MetadataError(f"{exc}; fix or delete {sidecar_path(report)}") from exc
