"""Writing a report's declared metadata: the sidecar `<file name>.meta.json` beside it (title, place, date).

`python -m index add` validates what a person declared and writes only those keys; the build reads the
sidecar and lets declared values win over what it infers from the text.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import MetadataError, ReportReadError
from .metadata import MAX_TITLE_CHARS as TITLE_MAX
from .metadata import sidecar_path

PLACE_MAX = 20


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


def make_meta(*, title: str | None = None, place: str | None = None, date: str | None = None) -> ReportMeta:
    """Validated metadata, by the rules the build's sidecar reader (index.places.metadata) applies.

    Non-empty strings within their lengths, a place that names a Chinese division (南平, 慈溪市), a date
    YYYY, YYYY-MM or YYYY-MM-DD; MetadataError naming the option and the fix otherwise.
    """
    from . import metadata

    title, place = _text(title, "title", TITLE_MAX), _text(place, "place", PLACE_MAX)
    date = None if date is None else str(date).strip()
    checks = (
        ("title", metadata._title, title),
        ("place", metadata._place, place),
        ("date", metadata._check_date, date),
    )
    for key, check, value in checks:
        try:
            check(Path(f"--{key}"), value)  # the reader's own grammar: one rule for writing and reading
        except ReportReadError as exc:
            raise MetadataError(f"{exc}; fix --{key}") from exc
    return ReportMeta(title, place, date)


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
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{path} is not valid UTF-8 JSON ({exc}); fix or delete it") from exc
    if not isinstance(data, dict) or set(data) - {"title", "place", "date"}:
        raise MetadataError(f"{path} must be a JSON object with only title, place and date; fix or delete it")
    try:
        return make_meta(**data)
    except MetadataError as exc:
        raise MetadataError(f"{path}: {exc}") from exc
