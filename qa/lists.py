"""List answers: every item a question asking 有哪些 / 哪几项 / 包括 asks for, each with the passage it is written in.

Items come from the answer's own writing: a run of a report's headings (创新品牌之一…之七), an enumeration by
ordinals (一是…二是…), the quoted names a sentence lists (被评为“…”，授予“…”等荣誉称号), or a 、/和 list
around the answer. Nothing is listed unless the text lists it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.errors import IndexProblem
from index.passage import Passage

from .question import Question
from .types import Item

_LIST_Q = re.compile(r"有哪些|哪几|哪些|都有什么|都有啥|包括什么|包括哪|包含哪|分别是什么|分别有什么|有什么")
_CN = "一二三四五六七八九十"
# A heading numbered within a run: 创新品牌之一:, 亮点之三
_RUN_HEADING = re.compile(
    rf"^\s*(?P<stem>[^\n，。；]{{2,16}}?)之(?P<n>[{_CN}]{{1,3}})\s*[:：]?\s*(?P<rest>[^\n]*)$", re.M
)
_ORDINAL = re.compile(rf"(?:^|[，,；;。：:\s])(?P<n>[{_CN}]{{1,2}})是")
_NUMBERED = re.compile(rf"^\s*(?:[（(](?P<a>[{_CN}]{{1,2}})[）)]|(?P<b>[{_CN}]{{1,2}})、)")
_QUOTED = re.compile(r"[“\"《]([^”\"》]{2,40})[”\"》]")
_LIST_SEP = re.compile(r"、")
_LAST_JOIN = re.compile(r"(?:和|及|以及|与)")
_CLAUSE = re.compile(r"[，,；;。！？!?：:]")
MAX_ITEM_CHARS = 40


def asks_for_list(q: Question) -> bool:
    """Whether the question asks for every item of something (有哪些, 哪几项, 包括什么), not for a figure."""
    return q.kind != "number" and bool(_LIST_Q.search(q.text))


def items_for(q: Question, index, passage: Passage, found) -> tuple[Item, ...]:
    """Every item of what a list question asks for, read from the answer's report and sentence; () otherwise.

    Args:
        q: the parsed question; index: the Index; passage: the passage the answer comes from (or the first
            that may answer, when no single answer was sure enough);
        found: the extraction (its sentence and span inside the passage), None when there is none: then only
            the report's heading runs are read.
    """
    if not asks_for_list(q):
        return ()
    readers = (_heading_run, _ordinals, _quoted, _enumeration) if found is not None else (_heading_run,)
    for reader in readers:
        items = reader(q, index, passage, found)
        if len(items) >= 2:
            return tuple(items)
    return ()


def joined(items: Sequence[Item]) -> str | None:
    """The items as one answer line (、 between them), None for no list."""
    return "、".join(i.text for i in items) if len(items) >= 2 else None


def _wanted_words(q: Question) -> list[str]:
    words = [w for w in (q.asked_noun, *q.terms) if w and len(w) >= 2]
    return sorted(set(words), key=len, reverse=True)


def _heading_run(q: Question, index, passage: Passage, found) -> list[Item]:
    """创新品牌之一…之七 in the report: each heading's title (the rest of its line, else the next line)."""
    try:
        from index.original import original_text

        text = original_text(index, passage.source)
    except (IndexProblem, OSError):
        return []
    wanted = _wanted_words(q)
    runs: dict[str, list[re.Match]] = {}
    for m in _RUN_HEADING.finditer(text):
        runs.setdefault(m["stem"].strip(), []).append(m)
    for stem, heads in runs.items():
        if len(heads) < 2 or not any(w in stem or stem in w for w in wanted):
            continue
        heads.sort(key=lambda m: _cn_number(m["n"]))
        own = [p for p in index.passages if p.source == passage.source and p.parts]
        items = []
        for m in heads:
            title = m["rest"].strip()
            if not title:
                after = text[m.end() :].lstrip("\n")
                title = after.split("\n", 1)[0].strip()
            if not title or len(title) > MAX_ITEM_CHARS:
                continue
            cited = next((p for p in own if p.parts[0].start >= m.end()), passage)
            items.append(Item(title, cited.source, cited.id))
        if len(items) >= 2:
            return items
    return []


def _cn_number(numeral: str) -> int:
    from index.figures import chinese_value

    return chinese_value(numeral) or 0


def _ordinals(q: Question, index, passage: Passage, found) -> list[Item]:
    """一是…；二是…： the clause after each ordinal, in the answer's sentence or passage."""
    text = passage.text
    marks = list(_ORDINAL.finditer(text))
    numbers = [_cn_number(m["n"]) for m in marks]
    if len(marks) < 2 or numbers[:2] != [1, 2]:
        return []
    items = []
    for i, m in enumerate(marks):
        if _cn_number(m["n"]) != i + 1:
            break
        end = marks[i + 1].start() + 1 if i + 1 < len(marks) else len(text)
        clause = re.split(r"[；;。]", text[m.end() : end])[0].strip("，, ")
        if clause:
            items.append(
                Item(clause[:MAX_ITEM_CHARS], passage.source, passage.id, (m.end(), m.end() + len(clause)))
            )
    return items


def _quoted(q: Question, index, passage: Passage, found) -> list[Item]:
    """The quoted names a sentence lists (被评为“A”，授予“B”…等荣誉称号), when the answer is one of them."""
    sentence = found.sentence
    names = list(_QUOTED.finditer(sentence))
    if len(names) < 2:
        return []
    answer = found.text
    if not any(answer in m.group(1) or m.group(1) in answer for m in names):
        return []
    offset = passage.text.find(sentence)
    items = []
    for m in names:
        span = (offset + m.start(1), offset + m.end(1)) if offset >= 0 else None
        items.append(Item(m.group(1), passage.source, passage.id, span))
    return items


def _enumeration(q: Question, index, passage: Passage, found) -> list[Item]:
    """A 、 list in the clause of the answer (A、B和C): its items, the first cut where the list begins."""
    text = passage.text
    if found.start < 0:
        return []
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, found.start)), default=0)
    end_match = _CLAUSE.search(text, found.end)
    clause_end = end_match.start() if end_match else len(text)
    clause = text[clause_start:clause_end]
    if "、" not in clause:
        return []
    parts = _LIST_SEP.split(clause)
    last = parts[-1]
    tail = re.split(r"等", last, maxsplit=1)[0]
    joins = _LAST_JOIN.split(tail)
    parts = parts[:-1] + [p for p in joins if p]
    first = _list_start(parts[0])
    parts[0] = first
    items = []
    pos = clause_start
    for part in parts:
        part = part.strip()
        if not part or len(part) > MAX_ITEM_CHARS:
            return []
        start = text.find(part, pos)
        items.append(
            Item(part, passage.source, passage.id, (start, start + len(part)) if start >= 0 else None)
        )
        pos = max(pos, start)
    return items


def _list_start(first: str) -> str:
    """The first item of a list without the words that introduce the list (推荐全国劳动奖章 -> 全国劳动奖章)."""
    from .lexical import words

    found = words(first)
    cut = 0
    for w in found:
        if w.tag in ("v", "p", "d", "c", "u", "r", "w"):
            cut = w.end
    return first[cut:] if cut < len(first) else first
