"""Checks of the public API's arguments: each bad one is a ValueError or TypeError that names it and the fix."""

from __future__ import annotations

import operator
import re
from typing import Any

MAX_QUESTION_CHARS = (
    500  # the one question limit: the library cuts longer ones (with a note), the web refuses them
)
# NFKC turns one character into up to 18 (U+FDFA) and whitespace runs into one: the raw text is cut to a few
# times the limit before it is normalised, so a 1e6-character question costs what a 2,000-character one does.
RAW_QUESTION_CHARS = 4 * MAX_QUESTION_CHARS
K_MAX = 10  # citations or passages one call of the JSON API or an MCP tool may ask for
MAX_NAME_CHARS = 200  # a place or report filter from the JSON API or an MCP tool
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type: a TypeError, and a ValueError too, so callers that catch ValueError for
    bad input (the app, the CLI) keep handling it as bad input rather than as a bug."""


def shown(value: Any, limit: int = 40) -> str:
    """repr(value) cut to `limit` characters, for error messages about input of any size."""
    text = (
        repr(value)
        if not isinstance(value, int) or value.bit_length() < 200
        else f"<{value.bit_length()}-bit int>"
    )
    return text if len(text) <= limit else text[:limit] + "…"


def question_text(question: Any, name: str = "question") -> str:
    """The question without lone surrogates (they cannot be encoded); ArgumentTypeError or ValueError if unusable.

    Cheap on any length: nothing here normalises, and qa.question.clean cuts before it normalises.
    """
    if not isinstance(question, str):
        raise ArgumentTypeError(
            f"{name} must be a string, not {type(question).__name__}; pass the question text"
        )
    if _SURROGATE.search(question):
        question = _SURROGATE.sub("", question)
    if not question.strip():
        raise ValueError(f"{name} is empty; ask something like 南平工会组建率是多少")
    return question


def count(k: Any, limit: int, name: str = "k") -> int:
    """k as an int in 1..limit; bools, floats and strings are refused rather than converted."""
    if isinstance(k, bool):
        raise ArgumentTypeError(f"{name}={k!r} is a bool; pass an integer in 1..{limit}")
    try:
        value = operator.index(k)  # int and numpy integers, not 3.0 or "3"
    except TypeError:
        raise ArgumentTypeError(
            f"{name}={k!r} is a {type(k).__name__}, not an integer; pass an integer in 1..{limit}"
        ) from None
    if not 1 <= value <= limit:
        raise ValueError(
            f"{name}={shown(k)} is outside 1..{limit} (the passages in the index); pass k in that range"
        )
    return value


def optional_name(value: Any, name: str) -> str | None:
    """A city or report filter: None or a string (whether it exists is the caller's check)."""
    if value is None or isinstance(value, str):
        return value
    raise ArgumentTypeError(f"{name} must be a string or None, not {type(value).__name__}")


def readable(text: str, name: str = "question") -> None:
    """ValueError when a question has nothing left once cleaned (only control or invisible characters)."""
    if not text:
        raise ValueError(f"{name} has no readable text once cleaned; ask something like 南平工会组建率是多少")


def bounded(value: str | None, limit: int, name: str) -> None:
    """ValueError when a string from a caller is longer than limit characters."""
    if value is not None and len(value) > limit:
        raise ValueError(f"{name} has {len(value)} characters; the limit is {limit}")
