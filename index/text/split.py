"""Cutting long paragraphs into passages of about 300 characters at sentence ends, one sentence overlapping."""

from __future__ import annotations

import re

MAX_CHARS = 300
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』)）]*|[^。！？；!?;]+$")
_CLAUSE = re.compile(r"[^，,、：:]*[，,、：:]+|[^，,、：:]+$")
# Where a clause ends: a comma, semicolon, colon or sentence end (not 、, which joins the items of a list).
CLAUSE_END = re.compile(r"[，,。；;！？!?：:]")


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding text[pos] begins: just after the last clause end before pos, else 0."""
    return max((m.end() for m in CLAUSE_END.finditer(text, 0, pos)), default=0)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, marks and closing quotes included; very long sentences cut at commas."""
    spans = []
    for match in _SENTENCE.finditer(text):
        if not match.group():
            continue
        if match.end() - match.start() <= MAX_CHARS:
            spans.append((match.start(), match.end()))
            continue
        for clause in _CLAUSE.finditer(match.group()):
            if clause.group():
                spans.append((match.start() + clause.start(), match.start() + clause.end()))
    return spans


def chunk_spans(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, int]]:
    """[start, end) of each passage; texts up to max_chars stay whole; later chunks repeat one sentence."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    sentences = sentence_spans(text)
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        start = sentences[i][0]
        j = i
        while j + 1 < len(sentences) and sentences[j + 1][1] - start <= max_chars:
            j += 1
        chunks.append((start, sentences[j][1]))
        if j + 1 >= len(sentences):
            break
        # Overlap one sentence, unless that sentence alone filled the chunk.
        i = j if j > i else j + 1
    return chunks
