"""Validity of the gold question set eval/gold.jsonl: format, grounding in the seeds, and coverage.

No model is needed: every check reads eval/gold.jsonl and the raw seed files only.
Texts are compared after normalisation (NFKC, then every whitespace character removed), so an
evidence clause must lie within one paragraph of the raw file, but line wrapping does not matter.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from index.text.normalise import compact as norm  # NFKC, every whitespace character removed

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold.jsonl"
SEEDS = ROOT / "seeds"

FIELDS = {"id", "question", "answers", "sources", "evidence", "kind"}
KINDS = {"number", "date", "entity", "definition", "paraphrase", "multi-source", "unanswerable"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MIN_TOTAL = 215
MIN_PARAPHRASE = 40
MIN_ENTITY = 20  # people and organisations, named with or without a title
MIN_MULTI = 8
MIN_UNANSWERABLE = 10
MAX_EVIDENCE_CHARS = 60  # "a short clause": about 40 characters, with some slack
MAX_SHARED_RUN_IN_PARAPHRASE = 5  # a paraphrase may not copy 6+ consecutive characters of its evidence

# File 000 holds two articles: Zhangzhou, then Longyan from this heading on.
TWO_ARTICLE_FILE = "000_4ac7a8c231dd8c6f.txt"
SECOND_ARTICLE_HEADING = "# 真心真情 真帮真扶"


@pytest.fixture(scope="module")
def raw_lines() -> list[str]:
    assert GOLD.is_file(), f"missing {GOLD}"
    return GOLD.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def records(raw_lines) -> list[dict]:
    out = []
    for n, line in enumerate(raw_lines, 1):
        assert line.strip(), f"line {n} is blank"
        out.append(json.loads(line))
    return out


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    assert texts, "no seed files"
    return texts


@pytest.fixture(scope="module")
def seed_norm(seed_texts) -> dict[str, str]:
    return {name: norm(text) for name, text in seed_texts.items()}


def answerable(records):
    return [r for r in records if r["kind"] != "unanswerable"]


def _shared_run(a: str, b: str) -> str:
    """Longest run of consecutive characters of a that also occurs in b."""
    best = ""
    for i in range(len(a)):
        j = i + len(best) + 1
        while j <= len(a) and a[i:j] in b:
            best = a[i:j]
            j += 1
    return best


def test_every_line_is_a_well_formed_record(raw_lines):
    errors = []
    for n, line in enumerate(raw_lines, 1):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        if not isinstance(rec, dict) or set(rec) != FIELDS:
            errors.append(f"line {n}: fields {sorted(rec) if isinstance(rec, dict) else type(rec)}")
            continue
        if not all(isinstance(rec[k], str) for k in ("id", "question", "evidence", "kind")):
            errors.append(f"line {n}: id/question/evidence/kind must be strings")
        for k in ("answers", "sources"):
            if not isinstance(rec[k], list) or not all(isinstance(x, str) and x.strip() for x in rec[k]):
                errors.append(f"line {n}: {k} must be a list of non-empty strings")
        if rec["kind"] not in KINDS:
            errors.append(f"line {n}: unknown kind {rec['kind']!r}")
        if not str(rec["question"]).strip():
            errors.append(f"line {n}: empty question")
    assert not errors, "\n".join(errors)


def test_file_is_utf8_without_ascii_escapes():
    text = GOLD.read_text(encoding="utf-8")
    assert "\\u" not in text, "write with ensure_ascii=False"


def test_ids_are_unique_and_well_formed(records):
    ids = [r["id"] for r in records]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    assert not dup, f"duplicate ids: {dup}"
    bad = [i for i in ids if not ID_RE.match(i)]
    assert not bad, f"ids must be lowercase ascii words joined by hyphens: {bad}"


def test_questions_are_unique(records):
    qs = Counter(norm(r["question"]) for r in records)
    dup = [q for q, c in qs.items() if c > 1]
    assert not dup, f"duplicate questions: {dup}"


def test_answerable_records_are_complete(records, seed_texts):
    errors = []
    for r in answerable(records):
        if not r["answers"] or not r["sources"] or not r["evidence"].strip():
            errors.append(f"{r['id']}: answers, sources and evidence must all be non-empty")
        missing = [s for s in r["sources"] if s not in seed_texts]
        if missing:
            errors.append(f"{r['id']}: sources not in seeds/: {missing}")
        if len(set(r["sources"])) != len(r["sources"]):
            errors.append(f"{r['id']}: repeated source")
        if len(norm(r["evidence"])) > MAX_EVIDENCE_CHARS:
            errors.append(f"{r['id']}: evidence longer than {MAX_EVIDENCE_CHARS} characters")
    assert not errors, "\n".join(errors)


def test_evidence_occurs_in_one_of_its_sources(records, seed_norm):
    errors = []
    for r in answerable(records):
        ev = norm(r["evidence"])
        if not any(ev in seed_norm.get(s, "") for s in r["sources"]):
            errors.append(f"{r['id']}: evidence {r['evidence']!r} not found in {r['sources']}")
    assert not errors, "\n".join(errors)


def test_evidence_lies_within_one_paragraph(records, seed_texts):
    """Layout breaks split paragraphs; the evidence must sit entirely on one side of such a break."""
    errors = []
    for r in answerable(records):
        ev = norm(r["evidence"])
        lines = (line for s in r["sources"] for line in seed_texts.get(s, "").splitlines())
        if not any(ev in norm(line) for line in lines):
            errors.append(f"{r['id']}: evidence {r['evidence']!r} spans a line break")
    assert not errors, "\n".join(errors)


def test_every_answer_occurs_in_evidence_or_a_source(records, seed_norm):
    errors = []
    for r in answerable(records):
        ev = norm(r["evidence"])
        for a in r["answers"]:
            na = norm(a)
            if na not in ev and not any(na in seed_norm.get(s, "") for s in r["sources"]):
                errors.append(f"{r['id']}: answer {a!r} in neither the evidence nor {r['sources']}")
    assert not errors, "\n".join(errors)


def test_some_answer_occurs_in_the_evidence(records):
    errors = []
    for r in answerable(records):
        if r["kind"] == "multi-source":
            continue  # the evidence quotes one report; the other report's value may differ
        ev = norm(r["evidence"])
        if not any(norm(a) in ev for a in r["answers"]):
            errors.append(f"{r['id']}: no answer inside the evidence {r['evidence']!r}")
    assert not errors, "\n".join(errors)


def test_multi_source_records_cite_sources_that_each_answer(records, seed_norm):
    errors = []
    for r in records:
        if r["kind"] != "multi-source":
            continue
        if len(r["sources"]) < 2:
            errors.append(f"{r['id']}: a multi-source question needs at least two sources")
        for s in r["sources"]:
            if not any(norm(a) in seed_norm.get(s, "") for a in r["answers"]):
                errors.append(f"{r['id']}: source {s} states none of the answers")
    assert not errors, "\n".join(errors)


def test_unanswerable_records_are_empty(records):
    bad = [
        r["id"]
        for r in records
        if r["kind"] == "unanswerable" and (r["answers"] or r["sources"] or r["evidence"])
    ]
    assert not bad, f"unanswerable questions must have empty answers, sources and evidence: {bad}"


def test_paraphrases_avoid_the_reports_wording(records):
    errors = []
    for r in records:
        if r["kind"] != "paraphrase":
            continue
        run = _shared_run(norm(r["question"]), norm(r["evidence"]))
        if len(run) > MAX_SHARED_RUN_IN_PARAPHRASE:
            errors.append(f"{r['id']}: question copies {run!r} from the evidence")
    assert not errors, "\n".join(errors)


def test_counts(records):
    kinds = Counter(r["kind"] for r in records)
    assert len(records) >= MIN_TOTAL, f"{len(records)} questions"
    assert kinds["paraphrase"] >= MIN_PARAPHRASE, kinds
    assert kinds["entity"] >= MIN_ENTITY, kinds
    assert kinds["multi-source"] >= MIN_MULTI, kinds
    assert kinds["unanswerable"] >= MIN_UNANSWERABLE, kinds
    for kind in ("number", "date", "entity", "definition"):
        assert kinds[kind] >= 3, f"too few {kind} questions: {kinds}"


def test_every_seed_file_is_used(records, seed_texts):
    used = Counter(s for r in records for s in r["sources"])
    unused = [name for name in seed_texts if used[name] < 5]
    assert not unused, f"seed files with fewer than 5 questions: {unused} ({dict(used)})"


def test_both_articles_of_file_000_are_covered(records, seed_texts):
    text = seed_texts[TWO_ARTICLE_FILE]
    cut = text.index(SECOND_ARTICLE_HEADING)
    first, second = norm(text[:cut]), norm(text[cut:])
    in_first = in_second = 0
    for r in answerable(records):
        if TWO_ARTICLE_FILE not in r["sources"]:
            continue
        ev = norm(r["evidence"])
        in_first += ev in first
        in_second += ev in second
    assert in_first >= 5, f"only {in_first} questions quote the Zhangzhou article of {TWO_ARTICLE_FILE}"
    assert in_second >= 5, f"only {in_second} questions quote the Longyan article of {TWO_ARTICLE_FILE}"
