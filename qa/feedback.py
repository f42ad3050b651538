"""Staff feedback on answers (👍 / 👎, an optional correction) kept in SQLite beside the index folder, and the
gold line an accepted one becomes.

The file lives beside the index folder, not in a build, so it survives rebuilds, adds and removes; each entry
keeps the index version (the build's time) it was given on. Writes are SQLite transactions (BEGIN IMMEDIATE:
the size checks and the insert are one step, also across processes); no pickle. Every field is bounded here,
whatever shell sends it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.text.normalise import normalize

from .validate import MAX_QUESTION_CHARS

UP, DOWN = "up", "down"
VERDICTS = (UP, DOWN)
VERDICT_SIGNS = {UP: "👍", DOWN: "👎"}
NEW, ACCEPTED, REJECTED = "new", "accepted", "rejected"
NOT_IN_REPORTS = "报告中没有"  # the correction that says the reports do not answer the question
MAX_ANSWER = 2000  # characters of the answer given (a list answer runs to about 1,000)
MAX_CORRECTION = 200  # the right figure or phrase
MAX_PASSAGE = 2000  # the passage that states it (our passages are about 300 characters)
MAX_CITATIONS = 10  # the chat shows at most k=10
MAX_CITATION_TEXT = 1000
MAX_USER = 200
CITATION_FIELDS = ("source", "title", "passage_id", "text")
# Bounds on the file: a member of staff giving feedback on every answer of a working year stays well under
# PER_USER; TOTAL (each entry is at most ~20 KB, most under 2 KB) keeps the file under ~400 MB at the worst.
PER_USER = 2_000
TOTAL = 20_000
GOLD_KINDS = {"number": "number", "date": "date", "definition": "definition"}  # the rest: "entity"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    user TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    verdict TEXT NOT NULL,
    correction TEXT,
    passage TEXT,
    source TEXT,
    index_version TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    reviewed_by TEXT,
    reviewed_at REAL,
    gold_id TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS feedback_user ON feedback(user);
"""


class FeedbackFull(ValueError):
    """The feedback file holds as many entries as it may (for this user, or for everyone)."""


@dataclass(frozen=True)
class Correction:
    """What the answer should have been: the right figure or phrase (or NOT_IN_REPORTS), and where it is said."""

    answer: str
    passage: str = ""
    source: str = ""

    @property
    def unanswerable(self) -> bool:
        return self.answer.strip() == NOT_IN_REPORTS


@dataclass(frozen=True)
class Feedback:
    """One verdict on one answer, as stored."""

    id: int
    at: float
    user: str
    question: str
    answer: str
    citations: tuple[dict[str, str], ...]
    verdict: str
    correction: Correction | None
    index_version: str
    status: str = NEW
    reviewed_by: str | None = None
    reviewed_at: float | None = None
    gold_id: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.at)),
            "user": self.user,
            "question": self.question,
            "answer": self.answer,
            "citations": [dict(c) for c in self.citations],
            "verdict": self.verdict,
            "correction": None
            if self.correction is None
            else {
                "answer": self.correction.answer,
                "passage": self.correction.passage,
                "source": self.correction.source,
            },
            "index_version": self.index_version,
            "status": self.status,
            "reviewed_by": self.reviewed_by,
            "gold_id": self.gold_id,
        }


def feedback_path(index_dir: str | Path) -> Path:
    """The feedback file of an index folder: beside it (index/ → index.feedback.sqlite3), outside every build."""
    folder = Path(os.path.abspath(index_dir))
    return folder.parent / f"{folder.name}.feedback.sqlite3"


def index_version(index: Any) -> str:
    """The version of a loaded index that feedback records: its build time and build folder."""
    built = str(index.manifest.get("built_at") or "unknown")
    return f"{built} {Path(os.path.realpath(index.directory)).name}"


def _text(value: Any, name: str, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{name} is empty; give the {name} the feedback is about")
    if len(value) > limit:
        raise ValueError(f"{name} has {len(value)} characters; at most {limit}")
    return value


def check_citations(citations: Any) -> tuple[dict[str, str], ...]:
    """The citations shown, as at most MAX_CITATIONS dicts of CITATION_FIELDS (text fields, bounded)."""
    if citations is None:
        return ()
    if not isinstance(citations, list | tuple):
        raise ValueError("citations must be a list of {source, title, passage_id, text}")
    if len(citations) > MAX_CITATIONS:
        raise ValueError(f"{len(citations)} citations; at most {MAX_CITATIONS}")
    checked = []
    for i, citation in enumerate(citations):
        if not isinstance(citation, dict):
            raise ValueError(f"citations[{i}] must be an object with {', '.join(CITATION_FIELDS)}")
        checked.append(
            {
                name: _text(citation.get(name), f"citations[{i}].{name}", MAX_CITATION_TEXT)
                for name in CITATION_FIELDS
            }
        )
    return tuple(checked)


def check_correction(answer: Any, passage: Any = None, source: Any = None) -> Correction | None:
    """A correction from its parts (None when no answer is given); ValueError naming a bad part."""
    answer = _text(answer, "correction", MAX_CORRECTION)
    passage = _text(passage, "passage", MAX_PASSAGE)
    source = _text(source, "source", MAX_CITATION_TEXT)
    if not answer:
        if passage:
            raise ValueError("a passage without a correction; give the right figure too, or 报告中没有")
        return None
    if answer == NOT_IN_REPORTS:
        return Correction(NOT_IN_REPORTS)
    return Correction(answer, passage, source)


class FeedbackStore:
    """The feedback of one index folder: add, correct, list, and the review's accept / reject.

    Args:
        path: the SQLite file (feedback_path(index_dir)); created on the first write.
        per_user, total: the most entries one user, and everyone, may have stored.
    """

    def __init__(self, path: str | Path, *, per_user: int = PER_USER, total: int = TOTAL):
        self.path = Path(path)
        self.per_user, self.total = per_user, total

    @classmethod
    def beside(cls, index_dir: str | Path, **limits: int) -> FeedbackStore:
        """The store of this index folder."""
        return cls(feedback_path(index_dir), **limits)

    @contextmanager
    def _db(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.is_file():  # nothing stored yet: an empty database, no file made
            with closing(sqlite3.connect(":memory:")) as empty:
                yield empty
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as db:
            db.row_factory = sqlite3.Row
            if write:
                db.executescript(_SCHEMA)
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            else:
                yield db

    def add(
        self,
        *,
        user: str,
        question: Any,
        answer: Any,
        verdict: Any,
        citations: Any = None,
        correction: Correction | None = None,
        version: str = "",
    ) -> Feedback:
        """Store one verdict; ValueError naming a bad field, FeedbackFull when the file is full."""
        user = _text(user, "user", MAX_USER, required=True)
        question = _text(question, "question", MAX_QUESTION_CHARS, required=True)
        answer = _text(answer, "answer", MAX_ANSWER)
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be {UP!r} (👍) or {DOWN!r} (👎), got {str(verdict)[:20]!r}")
        shown = check_citations(citations)
        if correction is not None and verdict == UP:
            raise ValueError("a 👍 takes no correction; give 👎 with the right answer instead")
        fix = correction or Correction("")
        with self._db(write=True) as db:
            mine = db.execute("SELECT COUNT(*) FROM feedback WHERE user = ?", (user,)).fetchone()[0]
            if mine >= self.per_user:
                raise FeedbackFull(
                    f"{user} has stored {mine} feedback entries, the most one user may ({self.per_user})"
                )
            every = db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
            if every >= self.total:
                raise FeedbackFull(
                    f"the feedback file holds {every} entries, the most it may; an editor must review it first"
                )
            cursor = db.execute(
                "INSERT INTO feedback (at, user, question, answer, citations, verdict, correction, passage, "
                "source, index_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), user, question, answer, json.dumps(list(shown), ensure_ascii=False), verdict,
                 fix.answer or None, fix.passage or None, fix.source or None, version[:200]),
            )  # fmt: skip
            row = db.execute("SELECT * FROM feedback WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _row(row)

    def correct(self, entry_id: int, user: str, correction: Correction) -> Feedback:
        """Attach a correction to this user's own 👎 while it awaits review; ValueError otherwise."""
        return self._own(entry_id, user, correction, only=DOWN)

    def revise(self, entry_id: int, user: str, verdict: str) -> Feedback:
        """Change this user's own verdict while it awaits review (a 👍 turned 👎 on the same answer); the old
        verdict's correction goes with it. ValueError otherwise."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be {UP!r} (👍) or {DOWN!r} (👎), got {str(verdict)[:20]!r}")
        return self._own(entry_id, user, Correction(""), verdict=verdict)

    def _own(
        self,
        entry_id: int,
        user: str,
        correction: Correction,
        *,
        only: str | None = None,
        verdict: str | None = None,
    ) -> Feedback:
        """Set the correction (and the verdict, when given) of this user's own entry awaiting review (a `only` one)."""
        with self._db(write=True) as db:
            row = db.execute("SELECT * FROM feedback WHERE id = ?", (int(entry_id),)).fetchone()
            if row is None or row["user"] != user:
                raise ValueError(f"feedback {entry_id} is not one of yours; give the 👎 again")
            if row["status"] != NEW:
                raise ValueError(f"feedback {entry_id} was already reviewed ({row['status']})")
            if only is not None and row["verdict"] != only:
                raise ValueError(
                    f"feedback {entry_id} is a {VERDICT_SIGNS[row['verdict']]}; it takes no correction"
                )
            db.execute(
                "UPDATE feedback SET correction = ?, passage = ?, source = ?, verdict = ? WHERE id = ?",
                (correction.answer or None, correction.passage or None, correction.source or None,
                 verdict or row["verdict"], int(entry_id)),
            )  # fmt: skip
            return _row(db.execute("SELECT * FROM feedback WHERE id = ?", (int(entry_id),)).fetchone())

    def get(self, entry_id: int) -> Feedback:
        with self._db() as db:
            try:
                row = db.execute("SELECT * FROM feedback WHERE id = ?", (int(entry_id),)).fetchone()
            except sqlite3.OperationalError:  # no table yet: nothing stored
                row = None
        if row is None:
            raise KeyError(f"no feedback {entry_id}")
        return _row(row)

    def entries(
        self, *, status: str | None = None, verdict: str | None = None, limit: int = 200
    ) -> list[Feedback]:
        """Stored feedback, newest first (at most `limit`), optionally of one status or verdict."""
        where, args = [], []
        if status is not None:
            where.append("status = ?")
            args.append(status)
        if verdict is not None:
            where.append("verdict = ?")
            args.append(verdict)
        sql = "SELECT * FROM feedback" + (f" WHERE {' AND '.join(where)}" if where else "")
        with self._db() as db:
            try:
                rows = db.execute(f"{sql} ORDER BY id DESC LIMIT ?", (*args, int(limit))).fetchall()
            except sqlite3.OperationalError:
                rows = []
        return [_row(r) for r in rows]

    def reject(self, entry_id: int, *, by: str) -> Feedback:
        """Record that an editor kept this entry out of the gold set."""
        with self._db(write=True) as db:
            self._pending(db, entry_id)
            db.execute(
                "UPDATE feedback SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                (REJECTED, by, time.time(), int(entry_id)),
            )
            return _row(db.execute("SELECT * FROM feedback WHERE id = ?", (int(entry_id),)).fetchone())

    def accept(
        self, entry_id: int, *, by: str, gold_file: str | Path, passages: Sequence[Any] = ()
    ) -> tuple[Feedback, dict[str, Any]]:
        """Turn an entry into a gold line appended to gold_file and record it; ValueError when it cannot be one.

        The gold file is written inside the store's write transaction, so two accepts at once (two editors, two
        processes) append one after the other."""
        with self._db(write=True) as db:
            line = gold_line(self._pending(db, entry_id), passages)
            append_gold(gold_file, line)
            db.execute(
                "UPDATE feedback SET status = ?, reviewed_by = ?, reviewed_at = ?, gold_id = ? WHERE id = ?",
                (ACCEPTED, by, time.time(), line["id"], int(entry_id)),
            )
            return _row(db.execute("SELECT * FROM feedback WHERE id = ?", (int(entry_id),)).fetchone()), line

    @staticmethod
    def _pending(db: sqlite3.Connection, entry_id: int) -> Feedback:
        row = db.execute("SELECT * FROM feedback WHERE id = ?", (int(entry_id),)).fetchone()
        if row is None:
            raise ValueError(f"no feedback {entry_id}; reload the list")
        if row["status"] != NEW:
            raise ValueError(f"feedback {entry_id} was already {row['status']}")
        return _row(row)


def _row(row: sqlite3.Row) -> Feedback:
    correction = (
        Correction(row["correction"], row["passage"] or "", row["source"] or "")
        if row["correction"]
        else None
    )
    return Feedback(
        id=row["id"], at=row["at"], user=row["user"], question=row["question"], answer=row["answer"],
        citations=tuple(json.loads(row["citations"] or "[]")), verdict=row["verdict"], correction=correction,
        index_version=row["index_version"], status=row["status"], reviewed_by=row["reviewed_by"],
        reviewed_at=row["reviewed_at"], gold_id=row["gold_id"], note=row["note"],
    )  # fmt: skip


# --- the gold line an accepted entry becomes ----------------------------------------------------------------


def gold_kind(question: str, correction: Correction | None) -> str:
    """The gold set's kind for a question (eval/gold.py KINDS), read as the assistant reads it."""
    if correction is not None and correction.unanswerable:
        return "unanswerable"
    from .question import question_kind  # here: the store is used by processes that never read a question

    return GOLD_KINDS.get(question_kind(normalize(question)), "entity")


def _compact(text: str) -> str:
    return "".join(normalize(text).split())


def evidence_source(feedback: Feedback, passages: Sequence[Any]) -> str:
    """The report a gold line's evidence is in: the correction's own source, else the cited or indexed passage
    that holds it; ValueError when none does."""
    fix = feedback.correction
    evidence = fix.passage if fix is not None and fix.passage else ""
    if fix is not None and fix.source:
        return fix.source
    wanted = _compact(evidence)
    for citation in feedback.citations:
        if wanted and wanted in _compact(citation.get("text", "")) and citation.get("source"):
            return citation["source"]
    for passage in passages:
        if wanted and wanted in _compact(passage.text):
            return passage.source
    raise ValueError(
        "the passage of the correction is in no report of the current index; copy it from 查看原文 exactly"
    )


def gold_line(feedback: Feedback, passages: Sequence[Any] = ()) -> dict[str, Any]:
    """The gold line (eval/gold.py's format, source "feedback") an entry becomes; ValueError when it cannot be one.

    A 👍 keeps the answer given, its first citation and that citation's sentence; a 👎 needs a correction: the
    right figure with the passage that states it, or 报告中没有. passages: the current index's, to find the
    report a correction's passage is in."""
    fix = feedback.correction
    base = {"id": f"feedback-{feedback.id}", "question": feedback.question, "source": "feedback"}
    if feedback.verdict == UP:
        cited = feedback.citations[0] if feedback.citations else {}
        if not feedback.answer or not cited.get("source") or not cited.get("text"):
            raise ValueError("this 👍 has no answer or citation to keep; reject it")
        return {**base, "answers": [feedback.answer], "sources": [cited["source"]], "evidence": cited["text"],
                "kind": gold_kind(feedback.question, None)}  # fmt: skip
    if fix is None:
        raise ValueError("a 👎 without a correction gives no right answer; reject it")
    if fix.unanswerable:
        return {**base, "answers": [], "sources": [], "evidence": "", "kind": "unanswerable"}
    if not fix.passage:
        raise ValueError("the correction names no passage that states it; reject it, or ask for the passage")
    if _compact(fix.answer) not in _compact(fix.passage):
        raise ValueError(f"the passage does not state the correction {fix.answer!r}; reject it")
    source = evidence_source(feedback, passages)
    return {**base, "answers": [fix.answer], "sources": [source], "evidence": fix.passage,
            "kind": gold_kind(feedback.question, fix)}  # fmt: skip


def append_gold(path: str | Path, line: dict[str, Any]) -> bool:
    """Add a gold line to a JSON Lines file unless its id is there; the file is replaced whole (atomic).
    Returns whether it was added."""
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    for existing in old.splitlines():
        if existing.strip() and json.loads(existing).get("id") == line["id"]:
            return False
    text = old + ("" if not old or old.endswith("\n") else "\n") + json.dumps(line, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True
