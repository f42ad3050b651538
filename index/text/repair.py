"""Reading-order repair: join every sentence broken at a page or column end to its true continuation.

A paragraph that stops mid-sentence (a dangling end) is paired, within its article, with a paragraph that
starts mid-sentence (a dangling start) by how well the two sides fit; pairs are one to one and chosen for
the whole article at once (an assignment problem), not greedily. Each end is weighed only against the
paragraphs near it and the nearest paragraphs that open like a fragment, never against all of them, and
never across a table: the work grows with the article's length, not its square.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..readers.tables import is_table_row as _table_row
from . import figures
from .layout import CLOSERS, TERMINALS, Block, ends_sentence
from .normalise import pos_segmenter, segmenter, tokenize
from .patterns import HAN, NUMERALS
from .split import CLAUSE_END

# Scores of the fit signals; a pair is joined when its total reaches JOIN_THRESHOLD.
WORD_ACROSS = 3.5  # a dictionary word formed across the join: 福|建, 发|放
NUMBER_UNIT = 4.0  # a number and its unit: 6.8万|人
QUOTE_CLOSES = 2.5  # an open “ or （ on one side closed on the other
QUOTE_MISMATCH = (
    -6.0
)  # an open quote left open by the continuation's first sentence, or closed without opening
CORRELATIVE = 2.5  # 一方面 … 另一方面
ORDINAL_NEXT = 2.5  # 四送 … 五送
ENUMERATION = 1.5  # a list with 、 closed by 等 on the other side
ADJACENT = 2.0  # the next paragraph (captions, labels and headers between are skipped)
START_SHORT_CLAUSE = 1.5  # the continuation's first clause is only a few characters: 度，/ 合法权益。
START_CLOSER = 2.0  # the continuation opens with a closing mark
START_BOUND_CHAR = 1.0  # the continuation opens with a one-character word that rarely opens a sentence
START_OPENER = -1.0  # the continuation opens like a new sentence: 2018年 / 近年来 / 目前
START_FIGURE = 1.0  # the continuation opens with a bare figure: 3200万元，/ 336起。
FIGURE_COMPLETES = 1.0  # …and the broken clause has no figure yet: 全市新建职工书屋 | 118家
GRAMMAR_FIT = 1.5  # a subject with no verb yet meets a verb (市总工会 | 命名…), or a verb meets its object
COHESION = 2.0  # times the cosine of the two paragraphs' word counts
SEEN_ELSEWHERE = (
    1.0  # per character beyond two of the longest n-gram across the join seen inside a line of the corpus
)
JOIN_THRESHOLD = 2.0
# Candidates for one end: the paragraphs up to WINDOW_AFTER after it and WINDOW_BEFORE before it (a column
# or page break moves a continuation a few paragraphs on; reversed columns put it a few before), and the
# FRAGMENT_NEAREST nearest paragraphs anywhere in the article that open like a fragment. A 40-page report
# took 39 s with every pair scored and most pairs were hundreds of paragraphs apart (eval/bench/repair_time.py).
WINDOW_AFTER = 40
WINDOW_BEFORE = 8
FRAGMENT_NEAREST = 40
STRONG_FIT = 3.0  # what a short, heading-like line needs before it is read as half a sentence

_UNIT_START = figures.UNIT_START
_NUMBER_END = figures.NUMBER_END
_OPENER = re.compile(
    rf"^(?:{figures.YEAR}年|\d+年来|多年来|近年来|近年|今年|去年|目前|至目前|至今|截至|此外|同时|新时期|据统计|自|在|随着|为了|通过|作为)"
)
_FIGURE_START = figures.FIGURE_START
_COMMON_INITIAL = set(
    "在从为对由将把据自经以向与和按通若如因截至今去近全各共市县该这此其但并而同又还更第每我他她它"
)
_CORRELATIVES = (("一方面", "另一方面"), ("不仅", "而且"), ("首先", "其次"))
_OPEN_CLOSE = {"“": "”", "（": "）", "(": ")", "《": "》", "「": "」"}


@dataclass(frozen=True)
class Join:
    """One repaired break: the paragraph numbers and the words on each side, for the audit list."""

    end_paragraph: int
    start_paragraph: int
    end_words: str
    start_words: str
    score: float
    reasons: tuple[str, ...]
    adjacent: bool


@dataclass
class RepairResult:
    """The article's body as joined units (lists of blocks), with the audit trail."""

    units: list[list[Block]]
    joins: list[Join] = field(default_factory=list)
    unpaired_ends: list[Block] = field(default_factory=list)
    unpaired_starts: list[Block] = field(default_factory=list)


def is_dangling_end(block: Block) -> bool:
    """A body paragraph that stops mid-sentence (a colon lead-in is a complete lead-in, not a break)."""
    text = block.text.rstrip()
    return bool(text) and not ends_sentence(text) and text[-1] not in ":："


def _first_clause(text: str) -> str:
    match = CLAUSE_END.search(text)
    return text[: match.start()] if match else text


def start_signals(text: str) -> tuple[float, list[str]]:
    """How much the paragraph looks like it opens mid-sentence, on its own."""
    score = 0.0
    reasons = []
    if text[0] in CLOSERS or text[0] in TERMINALS or text[0] in "，、,":
        score += START_CLOSER
        reasons.append("opens with a closing mark")
    elif any(ch in "”’）)》" for ch in text[1:3]) and not any(ch in "“‘（(《" for ch in text[:3]):
        score += START_CLOSER
        reasons.append("closes a quote it never opened")
    clause = _first_clause(text)
    mark = text[len(clause)] if len(clause) < len(text) else ""
    size = len(clause.rstrip(CLOSERS))
    # A sentence of a few characters (合法权益。) or a one-character clause (度，) cannot stand alone.
    if (mark in TERMINALS and size <= 6) or size <= 2 and mark:
        score += START_SHORT_CLAUSE
        reasons.append("first clause only a few characters")
    first_word = next(iter(segmenter().cut(text[:6], HMM=False)), "")
    if len(first_word) == 1 and "\u4e00" <= first_word <= "\u9fff" and first_word not in _COMMON_INITIAL:
        score += START_BOUND_CHAR
        reasons.append(f"opens with the bound character {first_word}")
    if _FIGURE_START.match(text) and not _OPENER.match(text):
        score += START_FIGURE
        reasons.append("opens with a bare figure")
    if _OPENER.match(text):
        score += START_OPENER
        reasons.append("opens like a new sentence")
    return score, reasons


_NOUNISH = ("n", "ns", "nt", "nz", "nr", "j", "t", "r")


def _grammar_fit(last_clause: str, start: str, cache: dict | None = None) -> str | None:
    """A clause that has only a subject so far, continued by a verb; or one ending on a verb, continued by its object."""
    if not last_clause or not re.search(HAN, last_clause):
        return None
    cache = {} if cache is None else cache
    left = _cached(
        cache,
        "pos:" + last_clause[-12:],
        lambda: [(w.word, w.flag) for w in pos_segmenter().cut(last_clause[-12:])],
    )
    right = _cached(
        cache, "pos:" + start[:8], lambda: [(w.word, w.flag) for w in pos_segmenter().cut(start[:8])]
    )
    if not left or not right:
        return None
    first_flag = right[0][1]
    if (
        all(flag.startswith(_NOUNISH) for _, flag in left)
        and first_flag.startswith("v")
        and len(last_clause) <= 12
    ):
        return "a subject waiting for its verb"
    if left[-1][1] == "v" and len(left[-1][0]) >= 2 and first_flag.startswith(("n", "m")):
        return "a verb waiting for its object"
    return None


def _word_across(end: str, start: str) -> str | None:
    left, right = end[-4:], start[:4]
    pos = 0
    for word in segmenter().cut(left + right, HMM=False):
        if (
            pos < len(left) < pos + len(word)
            and len(word) >= 2
            and all("\u4e00" <= ch <= "\u9fff" for ch in word)
        ):
            return word
        pos += len(word)
    return None


def _quote_fit(end: str, start: str) -> tuple[float, str | None]:
    """Positive when the end leaves a quote open that the start's first sentence closes; negative on mismatch."""
    first_sentence = re.split(r"[。！？!?；;]", start, maxsplit=1)[0]
    for opener, closer in _OPEN_CLOSE.items():
        open_left = end.count(opener) - end.count(closer)
        head = first_sentence.split(opener, 1)[0]
        closes = head.count(closer)
        if open_left > 0 and closes > 0:
            return QUOTE_CLOSES, f"{opener}…{closer} balanced across the join"
        if open_left > 0 and closes == 0:
            return QUOTE_MISMATCH, f"{opener} left open"
        if open_left <= 0 and closes > 0:
            return QUOTE_MISMATCH, f"{closer} closes nothing"
    return 0.0, None


def _ordinal_next(end: str, start: str) -> bool:
    tail = end[-60:]
    for i, numeral in enumerate(NUMERALS[:-1]):
        for match in re.finditer(numeral + f"({HAN})", tail):
            if NUMERALS[i + 1] + match.group(1) in start[:40]:
                return True
    return False


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(a[w] * b[w] for w in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _content_words(text: str) -> Counter[str]:
    return Counter(w for w in tokenize(text) if len(w) >= 2)


class PhraseBook:
    """The running text of the reports, line by line, to ask whether a phrase across a join is written elsewhere."""

    def __init__(self, lines: list[str]):
        self._text = "\n".join(lines)

    def longest_across(self, end: str, start: str, longest: int = 6) -> str:
        """The longest string e[-a:] + s[:b] (a, b >= 1) that occurs inside one line of the corpus."""
        best = ""
        for size in range(3, longest + 1):
            found = False
            for a in range(1, size):
                b = size - a
                if a > len(end) or b > len(start):
                    continue
                phrase = end[-a:] + start[:b]
                if any(ch in "\n，。,.；;" for ch in phrase):
                    continue
                if phrase in self._text:
                    best, found = phrase, True
                    break
            if not found:
                break
        return best


def fit(
    end: Block,
    start: Block,
    *,
    adjacent: bool,
    phrases: PhraseBook | None = None,
    cache: dict[str, object] | None = None,
) -> tuple[float, list[str]]:
    """How well `start` continues the sentence that `end` breaks off, with the reasons.

    cache: a dict kept across the calls of one article, so each paragraph's own signals are worked out once.
    """
    cache = {} if cache is None else cache
    e, s = end.text.rstrip(), start.text.lstrip()
    score, reasons = 0.0, []
    if phrases is not None:
        seen = phrases.longest_across(e, s)
        if len(seen) >= 3:
            score += SEEN_ELSEWHERE * (len(seen) - 2)
            reasons.append(f"{seen} written elsewhere")
    word = _word_across(e, s)
    if word:
        score += WORD_ACROSS
        reasons.append(f"word {word} across the join")
    if _NUMBER_END.search(e) and _UNIT_START.match(s):
        score += NUMBER_UNIT
        reasons.append("number and its unit")
    elif re.search(r"\d\.?$", e) and re.match(r"^\.?\d", s):
        score += NUMBER_UNIT
        reasons.append("a number cut in two")
    last_clause_e = re.split(r"[，,。；;！？!?：:]", e)[-1]
    if _FIGURE_START.match(s) and last_clause_e and not re.search(r"\d", last_clause_e):
        score += FIGURE_COMPLETES
        reasons.append("the figure the clause was heading for")
    grammar = _grammar_fit(last_clause_e, s, cache)
    if grammar:
        score += GRAMMAR_FIT
        reasons.append(grammar)
    quote, why = _quote_fit(e, s)
    if why:
        score += quote
        reasons.append(why)
    last_clause = re.split(r"[。；;！？!?]", e)[-1]
    for first, second in _CORRELATIVES:
        if first in last_clause and second not in last_clause and second in s[:60]:
            score += CORRELATIVE
            reasons.append(f"{first}…{second}")
            break
    if _ordinal_next(e, s):
        score += ORDINAL_NEXT
        reasons.append("the enumeration goes on")
    tail_clause = re.split(r"[，,。；;]", e)[-1]
    if "、" in tail_clause and (_first_clause(s).endswith("等") or "、" in _first_clause(s)):
        score += ENUMERATION
        reasons.append("a list closed on the other side")
    if adjacent:
        score += ADJACENT
        reasons.append("next paragraph")
    start_score, start_reasons = _cached(cache, "start:" + s, lambda: start_signals(s))
    score += start_score
    reasons += start_reasons
    cohesion = _cosine(
        _cached(cache, "words:" + e, lambda: _content_words(e)),
        _cached(cache, "words:" + s, lambda: _content_words(s)),
    )
    score += COHESION * cohesion
    return score, reasons


def _cached(cache: dict, key: str, make):
    if key not in cache:
        cache[key] = make()
    return cache[key]


def is_table_row(block: Block) -> bool:
    """A row of a table as the readers write it (index/readers/tables.py): never half of a sentence."""
    return _table_row(block.text)


def _candidates(body: list[Block], i: int, fragments: list[int]) -> set[int]:
    """Positions in `body` that the end at position i is weighed against (see WINDOW_AFTER)."""
    out = set()
    for step, limit in ((1, WINDOW_AFTER), (-1, WINDOW_BEFORE)):
        j = i + step
        while 0 <= j < len(body) and abs(j - i) <= limit and not is_table_row(body[j]):
            out.add(j)
            j += step
    at = bisect.bisect_left(fragments, i)
    lo, hi = at - 1, at
    for _ in range(FRAGMENT_NEAREST):
        left = i - fragments[lo] if lo >= 0 else None
        right = fragments[hi] - i if hi < len(fragments) else None
        if left is None and right is None:
            break
        if right is None or (left is not None and left <= right):
            out.add(fragments[lo])
            lo -= 1
        else:
            out.add(fragments[hi])
            hi += 1
    out.discard(i)
    return out


def _strong(reasons: list[str]) -> bool:
    return any(r.startswith("word ") or r == "number and its unit" or "balanced" in r for r in reasons)


def repair_article(
    blocks: tuple[Block, ...] | list[Block], phrases: PhraseBook | None = None
) -> RepairResult:
    """Join the broken sentences of one article's blocks; headings that turn out to be half a sentence are joined too."""
    paragraphs = [b for b in blocks if b.kind in ("body", "short")]
    body = [b for b in paragraphs if not is_table_row(b)]
    order = {b.paragraph: i for i, b in enumerate(blocks)}
    ends = [i for i, b in enumerate(body) if is_dangling_end(b)]
    if not ends or not body:
        # _finish makes one unit per paragraph: starting from a filled list listed each paragraph twice,
        # and deduplication then named every paragraph as a copy of itself.
        return RepairResult(units=[])._finish(blocks, paragraphs, {})

    def next_body(block: Block) -> Block | None:
        for later in blocks[order[block.paragraph] + 1 :]:
            if later.kind in ("body", "short") and not is_table_row(later):
                return later
            if later.kind in ("heading", "title", "subtitle") or is_table_row(later):
                return None
        return None

    cache: dict[str, object] = {}
    fragments = [
        j
        for j, b in enumerate(body)
        if _cached(cache, "start:" + b.text.lstrip(), lambda b=b: start_signals(b.text.lstrip()))[0] > 0
    ]
    starts = sorted({j for i in ends for j in _candidates(body, i, fragments)})
    column = {j: c for c, j in enumerate(starts)}
    scores = np.zeros((len(ends), len(starts)))
    details: dict[tuple[int, int], tuple[float, list[str], bool]] = {}
    for i, at in enumerate(ends):
        e = body[at]
        following = next_body(e)
        for j_body in _candidates(body, at, fragments):
            s = body[j_body]
            j = column[j_body]
            adjacent = following is not None and following.paragraph == s.paragraph
            score, reasons = fit(e, s, adjacent=adjacent, phrases=phrases, cache=cache)
            # A heading-like line on either side joins only on a strong sign: a word, a figure, a quote.
            needs_strong = e.kind == "short" or s.kind == "short"
            needed = STRONG_FIT if needs_strong else JOIN_THRESHOLD
            if needs_strong and not _strong(reasons):
                continue
            if score >= needed:
                scores[i, j] = score
                details[(i, j)] = (score, reasons, adjacent)
    rows, cols = linear_sum_assignment(-scores)
    ends = [body[i] for i in ends]
    starts = [body[j] for j in starts]
    links = {
        ends[i].paragraph: starts[j].paragraph for i, j in zip(rows, cols, strict=True) if (i, j) in details
    }
    links = _break_cycles(
        links, {(ends[i].paragraph, starts[j].paragraph): details[(i, j)][0] for (i, j) in details}
    )
    result = RepairResult(units=[])
    for i, j in zip(rows, cols, strict=True):
        if (i, j) in details and links.get(ends[i].paragraph) == starts[j].paragraph:
            score, reasons, adjacent = details[(i, j)]
            result.joins.append(
                Join(
                    ends[i].paragraph,
                    starts[j].paragraph,
                    ends[i].text[-12:],
                    starts[j].text[:12],
                    round(score, 2),
                    tuple(reasons),
                    adjacent,
                )
            )
    result.joins.sort(key=lambda j: j.end_paragraph)
    return result._finish(blocks, paragraphs, links)


def _break_cycles(links: dict[int, int], weight: dict[tuple[int, int], float]) -> dict[int, int]:
    links = dict(links)
    for begin in list(links):
        seen = []
        node = begin
        while node in links and node not in seen:
            seen.append(node)
            node = links[node]
        if node == begin and seen:
            weakest = min(seen, key=lambda p: weight[(p, links[p])])
            del links[weakest]
    return links


def _finish(self: RepairResult, blocks, body: list[Block], links: dict[int, int]) -> RepairResult:
    by_number = {b.paragraph: b for b in body}
    targets = set(links.values())
    joined_ends = set(links)
    for block in body:
        if block.paragraph in targets:
            continue
        if block.kind == "short" and block.paragraph not in joined_ends:
            continue  # a heading after all
        chain = [block]
        while chain[-1].paragraph in links:
            chain.append(by_number[links[chain[-1].paragraph]])
        self.units.append(chain)
    self.units.sort(key=lambda unit: unit[0].paragraph)
    for unit in self.units:
        if is_dangling_end(unit[-1]) and unit[-1].kind == "body" and not is_table_row(unit[-1]):
            self.unpaired_ends.append(unit[-1])
        first = unit[0]
        if first.paragraph not in targets and start_signals(first.text)[0] >= START_BOUND_CHAR:
            self.unpaired_starts.append(first)
    return self


RepairResult._finish = _finish  # type: ignore[attr-defined]
