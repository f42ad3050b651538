"""Bounded input on the Python API: cheap on any length, arguments checked by name, and a fuzz corpus that
raises only ValueError/TypeError and never takes a second."""

from __future__ import annotations

import json
import os
import time
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import qa.question
from qa.question import MAX_QUESTION_CHARS, parse
from qa.validate import ArgumentTypeError

HUGE = "\ufdfa" * 1_000_000  # NFKC makes each of these 18 characters: 18e6 if normalised before the cut


def _timed(call, *args, **kwargs):
    """The result and the CPU seconds the call took (wall time on a shared machine measures the neighbours)."""
    started = time.process_time()
    result = call(*args, **kwargs)
    return result, time.process_time() - started


def test_a_million_characters_are_cut_before_they_are_normalised(assistant):
    q, seconds = _timed(parse, HUGE)
    assert q.truncated and len(q.text) == MAX_QUESTION_CHARS and seconds < 0.5
    answer, seconds = _timed(assistant.ask, "南平工会组建率是多少" + HUGE)
    assert answer.answer == "95%以上" and any("500" in n for n in answer.notes) and seconds < 1.0
    chat = assistant.chat()
    chat.ask("南平工会组建率是多少")
    _, seconds = _timed(chat.ask, HUGE)
    assert seconds < 1.0
    _, seconds = _timed(assistant.retriever.search, HUGE, 5)
    assert seconds < 1.0


def test_a_chat_cleans_each_question_once(assistant, monkeypatch):
    chat = assistant.chat()
    chat.ask("南平工会组建率是多少")
    calls = []
    real = qa.question.clean
    monkeypatch.setattr(qa.question, "clean", lambda text: calls.append(text) or real(text))
    chat.ask("龙岩2018年为多少万人提供就业服务")  # with history: read once for the follow-up test and answer
    assert len(calls) == 1
    calls.clear()
    answer = chat.ask("那南平呢？")  # a follow-up: itself once, then the resolved question once
    assert len(calls) == 2 and "按上一问理解为" in answer.notes[-1]


def test_lone_surrogates_are_removed(assistant):
    answer = assistant.ask("南平\ud800工会组建率\udfff是多少")
    assert answer.answer == "95%以上" and answer.question == "南平工会组建率是多少"
    json.dumps(answer.to_dict(), ensure_ascii=False).encode("utf-8")  # encodable: nothing lone is left
    assert assistant.chat().ask("\udc80龙岩2018年为多少万人提供就业服务").answer.startswith("6.8万")
    assert assistant.retriever.search("南平\ud800工会", 3)
    with pytest.raises(ValueError, match="question is empty"):
        assistant.ask("\ud800\udfff ")
    with pytest.raises(ValueError, match="no readable text"):
        assistant.ask("\u200b\x00\ufeff")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"question": 123}, TypeError, "question must be a string, not int"),
        ({"question": b"abc"}, TypeError, "question must be a string, not bytes"),
        ({"question": ["南平"]}, TypeError, "question must be a string, not list"),
        ({"k": True}, TypeError, "k=True is a bool"),
        ({"k": 3.0}, TypeError, "k=3.0 is a float, not an integer"),
        ({"k": "3"}, TypeError, "k='3' is a str"),
        ({"k": float("nan")}, TypeError, "k=nan is a float"),
        ({"k": 10**400}, ValueError, r"k=<1329-bit int> is outside 1\.\."),
        ({"k": -1}, ValueError, r"k=-1 is outside 1\.\."),
        ({"city": 5}, TypeError, "city must be a string or None, not int"),
        ({"city": ["南平"]}, TypeError, "city must be a string or None, not list"),
        ({"source": ["a.txt"]}, TypeError, "source must be a string or None, not list"),
        ({"source": {"a": 1}}, TypeError, "source must be a string or None, not dict"),
    ],
)
def test_every_argument_is_checked_by_name(assistant, kwargs, error, message):
    args = {"question": "南平工会组建率是多少", "k": 3, **kwargs}
    question = args.pop("question")
    for call in (assistant.ask, assistant.chat().ask, assistant.retriever.search):
        with pytest.raises(error, match=message) as caught:
            call(question, **args)
        if error is TypeError:  # a wrong type is a ValueError too: callers catching bad input keep working
            assert isinstance(caught.value, ArgumentTypeError) and isinstance(caught.value, ValueError)


def test_numpy_integers_are_accepted_as_k(assistant):
    assert len(assistant.ask("南平工会组建率是多少", np.int64(2)).citations) == 2
    assert len(assistant.retriever.search("南平工会组建率", np.int32(3))) == 3


# --- the fuzz corpus -------------------------------------------------------------------------------------
# Two corpora per entry point: any text with valid other arguments (it reaches retrieval and extraction), and
# any value of any type for every argument (it exercises the checks). QA_FUZZ_EXAMPLES scales both for a
# longer run; the suite's default keeps them to about a minute on a busy two-core machine.
FUZZ_SEED = 20261129
FUZZ_EXAMPLES = int(os.environ.get("QA_FUZZ_EXAMPLES", "40"))
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=80)  # surrogates included
PIECES = st.sampled_from(
    ["南平", "龙岩", "衢州", "厦门", "那", "呢？", "2018年", "工会组建率是多少", "多少家", "谁"]
    + ["\ufdfa", "\x00", " ", "\u200b", "\ud800", "\u202e", "🙂", "ｆｕｌｌ", "臺灣"]
)
QUESTION_LIKE = st.lists(st.one_of(PIECES, ANY_TEXT), min_size=1, max_size=6).map("".join)
LONG = st.tuples(
    st.sampled_from(["\ufdfa", "啊", " ", "\ud800", "南平工会", "\u200b"]), st.integers(1, 300_000)
).map(lambda pair: pair[0] * pair[1])
TEXTS = st.one_of(QUESTION_LIKE, ANY_TEXT, LONG)
ANYTHING = st.one_of(
    TEXTS,
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=8),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sampled_from(["3", "nan", "inf", "-1", ""]),
)
FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,  # the limit is asserted around the call itself, not around example generation
    database=None,  # nothing written outside tmp_path
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
OUTCOMES: Counter = Counter()


@pytest.fixture(scope="module")
def targets(assistant):
    """The three entry points (a chat with a question behind it, so follow-ups are tried), the real filter
    values; at the end, what the fuzz saw (shown with pytest -s)."""
    chat = assistant.chat()
    chat.ask("南平工会组建率是多少")
    calls = {"ask": assistant.ask, "chat": chat.ask, "search": assistant.retriever.search}
    yield calls, assistant.cities(), [row["source"] for row in assistant.sources()]
    print("\nfuzz outcomes:", dict(sorted(OUTCOMES.items())))


def _fuzz(corpus: str, target: str, call, question, k, city, source) -> None:
    # CPU seconds, not wall seconds: on a shared machine waiting for a core is not the call's cost, while a
    # normalisation blow-up (6 s for 1e6 characters before the cut) is.
    started, cpu = time.perf_counter(), time.process_time()
    try:
        call(question, k, city=city, source=source)
        OUTCOMES[corpus, target, "answered"] += 1
    except (ValueError, TypeError) as exc:
        OUTCOMES[corpus, target, type(exc).__name__] += 1
    cpu, wall = time.process_time() - cpu, time.perf_counter() - started
    OUTCOMES[corpus, target, "max cpu ms"] = max(OUTCOMES[corpus, target, "max cpu ms"], round(cpu * 1000))
    OUTCOMES[corpus, target, "max wall ms"] = max(OUTCOMES[corpus, target, "max wall ms"], round(wall * 1000))
    assert cpu < 1.0, f"{target} took {cpu:.2f} CPU s on {question!r:.80} k={k!r:.20}"


@pytest.mark.parametrize("target", ["ask", "chat", "search"])
@seed(FUZZ_SEED)
@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzz_text(targets, target, data):
    calls, cities, sources = targets
    city = data.draw(st.one_of(st.none(), st.sampled_from(cities)))
    source = data.draw(st.one_of(st.none(), st.sampled_from(sources)))
    _fuzz("text", target, calls[target], data.draw(TEXTS), data.draw(st.integers(1, 10)), city, source)


@pytest.mark.parametrize("target", ["ask", "chat", "search"])
@seed(FUZZ_SEED)
@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzz_arguments(targets, target, data):
    calls, cities, sources = targets
    names = st.one_of(st.none(), st.sampled_from(cities + sources), ANYTHING)
    question, k = data.draw(st.one_of(TEXTS, ANYTHING)), data.draw(st.one_of(st.integers(-3, 60), ANYTHING))
    _fuzz("arguments", target, calls[target], question, k, data.draw(names), data.draw(names))
