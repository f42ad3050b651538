"""The seeds folder's audit log (seeds/.audit.jsonl): one line per add, replace, remove or restore, appended and
never rewritten — who, when, what (the action and report name) and the report's sha256."""

from __future__ import annotations

import getpass
import json
import os
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

AUDIT_FILE = ".audit.jsonl"
ACTIONS = ("add", "replace", "remove", "restore")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    when: float
    who: str
    action: str
    name: str
    sha256: str | None

    def to_dict(self) -> dict:
        return {
            "when": self.when,
            "who": self.who,
            "action": self.action,
            "name": self.name,
            "sha256": self.sha256,
        }


def audit_path(seeds_dir: str | Path) -> Path:
    return Path(seeds_dir) / AUDIT_FILE


def command_line_user() -> str:
    """Who runs a command-line change: the system account, marked as such."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return f"uid {os.getuid()} (command line)"


def record(
    seeds_dir: str | Path, *, who: str | None, action: str, name: str, sha256: str | None
) -> AuditEntry:
    """Append one line (opened O_APPEND, so concurrent writers never overwrite each other) and sync it."""
    if action not in ACTIONS:
        raise ValueError(f"action={action!r}; one of {', '.join(ACTIONS)}")
    entry = AuditEntry(time.time(), who or command_line_user(), action, name, sha256)
    line = (json.dumps(entry.to_dict(), ensure_ascii=False) + "\n").encode()
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(audit_path(seeds_dir), flags, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def read_log(seeds_dir: str | Path, *, last: int = 100) -> list[AuditEntry]:
    """The last `last` entries, newest first; lines that do not read (a torn last line) are skipped."""
    path = audit_path(seeds_dir)
    if not path.is_file() or path.is_symlink():
        return []
    lines: deque[str] = deque(maxlen=last)
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            lines.append(line)
    entries = []
    for line in reversed(lines):
        try:
            d = json.loads(line)
            entries.append(
                AuditEntry(float(d["when"]), str(d["who"]), str(d["action"]), str(d["name"]), d.get("sha256"))
            )
        except (ValueError, KeyError, TypeError):
            continue
    return entries
