"""Whether a text answer fits the noun a question asks for: 哪家单位 is not answered by a clause about a visit."""

from __future__ import annotations

import re

from .question import Question, head_word
from .spans import head_family

# A name or noun phrase is short; a longer answer is a clause, and a clause that never names the asked noun (or
# one of its family) answers what happened, not which unit, platform or meeting was asked for.
_CLAUSE_CHARS = 12
# A count and its measure word before the noun (两家企业 -> 企业, 哪三项 -> nothing left to match).
_COUNT = re.compile(r"^[0-9一二两三四五六七八九十几多]+[家个所项类位名条件种级心]?")
# Lists (、), quoted titles (《…》, “…”) and slogans (·, ——) name things without the asked noun; a body (企业, 单位) never does.
_NAMES_WITHOUT_HEAD = re.compile(r"[、《》“”·—]")


def _heads(noun: str) -> set[str]:
    """The words an answer may be headed by: the noun, its head word, its last two characters, its family."""
    return {noun, head_word(noun), noun[-2:], *head_family(noun)}


def fits(q: Question, answer: str | None) -> bool:
    """False when the question asks "what/which X" and the answer is a clause that names no X."""
    noun = _COUNT.sub("", q.asked_noun or "")
    if len(noun) < 2 or not answer or len(answer) <= _CLAUSE_CHARS:
        return True
    body = bool(head_family(noun))
    if not body and _NAMES_WITHOUT_HEAD.search(answer):
        return True
    # a one-character head (局, 会, 厂) heads a name only at its end: 工会 inside a clause heads nothing asked
    return any(head in answer if len(head) > 1 else answer.endswith(head) for head in _heads(noun))
