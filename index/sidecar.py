"""Writing a report's declared metadata: the sidecar `<file name>.meta.json` beside it (title, place, date).

`python -m index add` validates what a person declared and writes only those keys; the build reads the
sidecar and lets declared values win over what it infers from the text.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import MetadataError

SIDECAR_SUFFIX = ".meta.json"
TITLE_MAX = 200
PLACE_MAX = 20
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
YEARS = (1900, 2099)  # the range the build's sidecar reader accepts


@dataclass(frozen=True)
class ReportMeta:
    """What a person declared about a report; None where nothing was declared."""

    title: str | None = None
    place: str | None = None
    date: str | None = None  # "2013", "2013-06" or "2013-06-15"

    def to_dict(self) -> dict[str, str]:
        """Only the declared keys."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __bool__(self) -> bool:
        return bool(self.to_dict())


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


def check_date(value: str | None) -> str | None:
    """The date as given when it is YYYY, YYYY-MM or YYYY-MM-DD and a real date; MetadataError otherwise."""
    if value is None:
        return None
    match = _DATE.match(str(value).strip())
    if not match:
        raise MetadataError(f"date={value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2013-06); fix --date")
    year, month, day = (int(g) if g else None for g in match.groups())
    if not YEARS[0] <= year <= YEARS[1]:
        raise MetadataError(f"date={value!r}: the year must be {YEARS[0]}..{YEARS[1]}; fix --date")
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise MetadataError(f"date={value!r} is not a real date ({exc}); fix --date") from exc
    return match.group(0)


def make_meta(*, title: str | None = None, place: str | None = None, date: str | None = None) -> ReportMeta:
    """Validated metadata: non-empty strings within their lengths, a YYYY[-MM[-DD]] date."""
    return ReportMeta(_text(title, "title", TITLE_MAX), _text(place, "place", PLACE_MAX), check_date(date))


def sidecar_path(report: Path) -> Path:
    """Where a report's sidecar lives: beside it, named after the whole file name."""
    return report.with_name(report.name + SIDECAR_SUFFIX)


def write_sidecar(report: Path, meta: ReportMeta) -> Path:
    """Write the sidecar atomically (temp file, then rename); returns its path."""
    path = sidecar_path(report)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(meta.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_sidecar(report: Path) -> ReportMeta:
    """The declared metadata of a report (empty when it has no sidecar); MetadataError for a bad one."""
    path = sidecar_path(report)
    if not path.is_file():
        return ReportMeta()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{path} is not valid UTF-8 JSON ({exc}); fix or delete it") from exc
    if not isinstance(data, dict) or set(data) - {"title", "place", "date"}:
        raise MetadataError(f"{path} must be a JSON object with only title, place and date; fix or delete it")
    try:
        return make_meta(**data)
    except MetadataError as exc:
        raise MetadataError(f"{path}: {exc}") from exc
