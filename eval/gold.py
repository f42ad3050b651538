"""Gold question files (JSON Lines): load them and check every line, naming the line and field at fault."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

KINDS = ("number", "date", "entity", "definition", "paraphrase", "multi-source", "unanswerable")
FIELDS = ("id", "question", "answers", "sources", "evidence", "kind")
DEFAULT_GOLD = Path(__file__).resolve().parent / "gold.jsonl"


@dataclass(frozen=True)
class GoldItem:
    """One gold question: what to ask, what counts as right, and where the evidence lies."""

    id: str
    question: str
    answers: tuple[str, ...]
    sources: tuple[str, ...]
    evidence: str
    kind: str

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["answers"] = list(self.answers)
        data["sources"] = list(self.sources)
        return data


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read and validate a gold file.

    Args:
        path: a JSON Lines file, one question object per line (blank lines are skipped).

    Returns:
        The questions in file order.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: a line is not valid JSON or breaks the format; the message names the line and field.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"gold file {path} not found; pass --gold FILE with one JSON question per line"
        )
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason}); save the gold file as UTF-8") from None
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = parse_line(line, where=f"{path}:{number}")
        if item.id in seen:
            raise ValueError(
                f"{path}:{number}: field 'id': {item.id!r} already used on line {seen[item.id]}; ids must be unique"
            )
        seen[item.id] = number
        items.append(item)
    if not items:
        raise ValueError(f"{path}: holds no questions; write one JSON object per line")
    return items


def parse_line(line: str, *, where: str = "line") -> GoldItem:
    """Parse one gold line; `where` (e.g. "gold.jsonl:7") starts every error message."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(data).__name__}")
    for name in FIELDS:
        if name not in data:
            raise ValueError(f"{where}: field {name!r}: missing; every line needs {', '.join(FIELDS)}")
    item_id = data.get("id")
    if isinstance(item_id, int) and not isinstance(item_id, bool):
        item_id = str(item_id)
    if not isinstance(item_id, str) or not item_id.strip():
        raise ValueError(f"{where}: field 'id': expected a non-empty string, got {item_id!r}")
    question = _text(data, "question", where, required=True)
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: field 'kind': {kind!r} is not one of {', '.join(KINDS)}")
    answers = _texts(data, "answers", where)
    sources = _texts(data, "sources", where)
    evidence = _text(data, "evidence", where, required=False)
    if kind == "unanswerable":
        for name, value in (("answers", answers), ("sources", sources), ("evidence", evidence)):
            if value:
                raise ValueError(f"{where}: field {name!r}: must be empty for an unanswerable question")
    else:
        for name, value in (("answers", answers), ("sources", sources), ("evidence", evidence)):
            if not value:
                raise ValueError(f"{where}: field {name!r}: must not be empty for a {kind} question")
    return GoldItem(item_id.strip(), question, answers, sources, evidence, kind)


def _text(data: dict[str, Any], name: str, where: str, *, required: bool) -> str:
    value = data.get(name, None if required else "")
    if value is None and not required:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(
            f"{where}: field {name!r}: expected a {'non-empty ' if required else ''}string, got {value!r}"
        )
    return value


def _texts(data: dict[str, Any], name: str, where: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if value is None:
        value = []
    if not isinstance(value, list):
        raise ValueError(f"{where}: field {name!r}: expected a list of strings, got {type(value).__name__}")
    for i, entry in enumerate(value):
        if not isinstance(entry, str) or not entry.strip():
            raise ValueError(f"{where}: field {name!r}: entry {i} must be a non-empty string, got {entry!r}")
    return tuple(value)
