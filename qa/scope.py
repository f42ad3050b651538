"""Which articles a question naming places may search, and which of them may give its answer.

A place some article is about: its articles answer, and articles about places inside it are searched and
may be cited (labelled with their own place) but never give the answer. A place no article is about but
inside a covered one (福安 inside 宁德): that place's articles are searched and only a passage that names
it may answer. A place no article is about that holds covered ones (福建 holding 漳州, 平顶山 holding
郏县): their articles are searched and only a sentence that names the place and not the article's own
place may answer (a county's figure is never the city's answer). Nothing related covered: a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.passage import Passage
from index.places.matcher import ancestors, find_places, place

# A figure of the whole article's place (全市…), not of a place inside it.
_WHOLE = re.compile(r"全(?:市|省|州|盟|国)")


@dataclass(frozen=True)
class Scope:
    """The places asked (most specific only), the article places searched, and who may answer."""

    asked: tuple[str, ...]
    search: frozenset[str]
    rules: tuple[tuple[str, str | None], ...]  # (article place that may answer, place its passage must name)
    uncovered: tuple[str, ...]  # asked places with nothing related covered
    around: tuple[tuple[str, str], ...] = ()  # (article place inside the asked place, asked place)

    def may_answer(self, passage: Passage) -> bool:
        """Whether this passage may give the answer (not just be cited)."""
        for article_place, must_name in self.rules:
            if passage.place != article_place:
                continue
            if must_name is None or names(passage.text, must_name):
                return True
        return False

    def sentence_ok(self, passage: Passage, sentence: str) -> bool:
        """Whether an answer sentence may stand for the asked place: for an article about a place inside it, a
        sentence naming the asked place and not the article's; for one about a place holding it, a sentence
        naming the asked place (or a place inside it), or naming no place and no whole (全市) in a passage that
        names it: 钢城区's figure is never 莱芜's 全市 figure."""
        if any(a == passage.place and m is None for a, m in self.rules):
            return True
        outer = [asked for inner, asked in self.around if inner == passage.place]
        inner = [m for a, m in self.rules if a == passage.place and m is not None and m not in outer]
        if inner:
            # A sentence naming no place and no whole (全市…) speaks of what its passage names (may_answer: the
            # asked place): 组织42名劳模… under 蕉城区总工会's heading. Held out on the world (eval/REPORT.md "Issue
            # 18: the decision, session 6"): 2 right answers gained, no unanswerable one answered (simulated).
            named = [m.place.code for m in find_places(sentence, prefer=inner)]
            if (named or _WHOLE.search(sentence)) and not any(within(c, m) for c in named for m in inner):
                return False
        if not outer:
            return True
        mentioned = [m.place.code for m in find_places(sentence, prefer=(passage.place,))]
        # A sentence naming the article's own place states that place's figure (郏县's 22家, not 平顶山's);
        # one naming the asked place and perhaps a spot inside it (福建省总会在长汀成立) speaks of the asked place.
        return passage.place not in mentioned and any(c in mentioned for c in outer)

    @property
    def indirect(self) -> tuple[str, ...]:
        """Asked places answered only through passages that name them (no article is about them)."""
        return tuple(dict.fromkeys(m for _, m in self.rules if m is not None))


def names(text: str, code: str) -> bool:
    """Whether the text names this place (any of its written forms, resolved on word boundaries)."""
    return any(m.place.code == code for m in find_places(text, prefer=(code,)))


def within(code: str, ancestor: str) -> bool:
    """Whether the place is the ancestor or lies in it, now or (moved out of a former place) then."""
    return code == ancestor or ancestor in ancestors(code)


def most_specific(codes: Iterable[str]) -> tuple[str, ...]:
    """The places without a more specific one among them: 河南, 平顶山, 郏县 -> 郏县."""
    codes = tuple(dict.fromkeys(codes))
    return tuple(c for c in codes if not any(o != c and within(o, c) for o in codes))


def scope_for(asked: Iterable[str], covered: Iterable[str]) -> Scope | None:
    """The scope of a question asking about `asked` (codes) over articles about `covered` places; None: no place."""
    asked = most_specific(asked)
    if not asked:
        return None
    covered = set(covered)
    search: set[str] = set()
    rules: list[tuple[str, str | None]] = []
    around: list[tuple[str, str]] = []
    uncovered = []
    for code in asked:
        inside = {c for c in covered if within(c, code)}
        if code in covered:
            search |= inside
            rules.append((code, None))
            continue
        related = inside | {c for c in ancestors(code) if c in covered}
        if not related:
            uncovered.append(code)
            continue
        search |= related
        rules += [(r, code) for r in sorted(related)]
        around += [(r, code) for r in sorted(inside)]
    return Scope(asked, frozenset(search), tuple(rules), tuple(uncovered), tuple(around))


def labels(codes: Iterable[str]) -> list[str]:
    """The shown names of places by code."""
    return [place(c).label for c in codes]
