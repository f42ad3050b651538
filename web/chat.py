"""The chat service behind the page, the Gradio API and the JSON API: input checks, answering threads, replies."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import IndexProblem
from index.original import original_text, passage_in_report
from qa.types import hit_dict
from qa.validate import MAX_QUESTION_CHARS
from web.api import ApiError
from web.view import public, render_answer, render_error, render_original, render_pending, render_question

log = logging.getLogger("app")

# The library's question limit, refused here rather than cut: the browser's max_length does not bind API calls.
MAX_QUESTION = MAX_QUESTION_CHARS
K_MIN, K_MAX, K_DEFAULT = 1, 10, 5
MAX_HISTORY = 10  # earlier questions /chat replays for a follow-up
MAX_FILTER = 200  # characters of a city or report name passed through the API
CONCURRENCY = 2  # questions answered at once: one per core on the 2-core target machine
ALL = "all"
ORIGINALS_KEPT = 8  # report texts kept in memory for 查看原文
ANSWERS_KEPT = 20  # answers of a conversation that can still get a 👍 / 👎


class InputProblem(ValueError):
    """A question, k or filter the app refuses; the message is shown to the person as is."""


def check_question(question: Any) -> str:
    """The question stripped, or InputProblem naming what to change."""
    if question is None:
        question = ""
    if not isinstance(question, str):
        raise InputProblem("问题必须是文字。")
    question = question.strip()
    if not question:
        raise InputProblem("请输入问题，例如：南平工会组建率是多少？")
    if len(question) > MAX_QUESTION:
        raise InputProblem(f"问题太长了（{len(question)} 字），请控制在 {MAX_QUESTION} 字以内。")
    return question


def check_k(k: Any) -> int:
    """k as an int in K_MIN..K_MAX, or InputProblem (also for "nan", "inf", 10**400 and True)."""
    if k is None or k == "":
        return K_DEFAULT
    shown = repr(k) if len(repr(k)) <= 20 else repr(k)[:17] + "..."
    if isinstance(k, bool) or not isinstance(k, int | float | str):
        raise InputProblem(f"引用段落数 k={shown} 不是数字；请取 {K_MIN} 到 {K_MAX} 之间的整数。")
    try:
        value = float(k)
    except (ValueError, OverflowError):
        value = math.nan if isinstance(k, str) else math.inf
    if math.isnan(value) and not isinstance(k, int):
        raise InputProblem(f"引用段落数 k={shown} 不是数字；请取 {K_MIN} 到 {K_MAX} 之间的整数。")
    if not (K_MIN <= value <= K_MAX and value == int(value)):
        raise InputProblem(f"引用段落数 k={shown} 超出范围；请取 {K_MIN} 到 {K_MAX} 之间的整数。")
    return int(value)


def check_name(value: Any, what: str) -> str | None:
    """An optional city or report name from the API: None, or a short string."""
    if value is None or value == "" or value == ALL:
        return None
    if not isinstance(value, str) or len(value) > MAX_FILTER:
        raise InputProblem(f"{what}必须是不超过 {MAX_FILTER} 字的文字。")
    return value.strip() or None


def parse_scope(scope: str | None) -> tuple[str | None, str | None]:
    """The filter dropdown's value ('all', 'city:南平' or 'source:001_….txt') as (city, source)."""
    if not scope or scope == ALL:
        return None, None
    kind, _, name = scope.partition(":")
    if kind == "city" and name:
        return name, None
    if kind == "source" and name:
        return None, name
    raise InputProblem(f"无法识别的范围：{scope}")


def _echo(question: Any) -> str | None:
    """The question as echoed in an error reply, cut to MAX_QUESTION characters."""
    return question[:MAX_QUESTION] if isinstance(question, str) else None


@dataclass(frozen=True)
class Covered:
    """An assistant with the reports, cities and titles it covers, computed once per index."""

    assistant: Any | None
    sources: list[dict[str, Any]]
    cities: list[str]
    titles: dict[str, str]

    @classmethod
    def of(cls, assistant: Any | None) -> Covered:
        sources = list(assistant.sources()) if assistant else []
        cities = list(assistant.cities()) if assistant else []
        return cls(assistant, sources, cities, {s["source"]: s.get("title") or s["source"] for s in sources})


@dataclass
class Session:
    """One browser tab's conversation: the qa chat (for follow-ups) and the messages shown."""

    chat: Any = None
    messages: list[dict[str, str]] = field(default_factory=list)
    last: Any = None  # the last Answer shown (None after an error): its table feeds the chart and the CSV
    # For 👍 / 👎 (web.feedback): message index -> (question, Answer), and -> the feedback entry given on it.
    answers: dict[int, tuple[str, Any]] = field(default_factory=dict)
    rated: dict[int, int] = field(default_factory=dict)


class ChatService:
    """What the UI and the API call: validates input, asks the assistant, turns exceptions into messages."""

    def __init__(
        self,
        assistant: Any | None,
        load_error: str | None = None,
        *,
        concurrency: int = CONCURRENCY,
        index_dir: str | Path | None = None,
    ):
        # Every question, from the chat or either API, is answered on these few threads: at most `concurrency`
        # at once, and the model's per-thread memory (torch/OpenMP state, malloc arenas) stays with them
        # instead of growing with each new server thread a burst of requests brings (eval/bench/serve_memory.py).
        self.workers = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="qa-answer")
        self.load_error = load_error if assistant is None else None
        if assistant is None and not load_error:
            self.load_error = "索引没有加载。"
        self._view = Covered.of(assistant)
        # The index folder to follow: a build published later (the 报告管理 tab, python -m index add) is
        # swapped in without a restart.
        from qa.live import LiveAssistant  # here: `import app` stays light until an app is built

        index_dir = index_dir or (assistant.index.directory if assistant is not None else None)
        self.live = LiveAssistant(assistant, index_dir)
        self._texts: OrderedDict[tuple[str, str], str] = OrderedDict()  # report texts for 查看原文
        self._texts_lock = threading.Lock()

    # The assistant and what it covers change together, in one assignment (swap); each request reads
    # self._view once, so a question in flight finishes on the assistant it started with.
    @property
    def assistant(self) -> Any | None:
        return self._view.assistant

    @property
    def sources(self) -> list[dict[str, Any]]:
        return self._view.sources

    @property
    def cities(self) -> list[str]:
        return self._view.cities

    @property
    def titles(self) -> dict[str, str]:
        return self._view.titles

    def swap(self, assistant: Any) -> None:
        """Answer from this assistant from now on (a newly published index); no restart."""
        self._view = Covered.of(assistant)
        self.load_error = None

    def refresh(self) -> bool:
        """Swap in the build another process published since the last look (python -m index add), if any."""
        try:
            if not self.live.changed():
                return False
            self.swap(self.live.reload())
        except IndexProblem as exc:
            log.warning(
                "a newly published index could not be loaded; still answering from the old one: %s", exc
            )
            return False
        return True

    def on_worker(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """fn(*args, **kwargs) run on one of the answering threads; this thread waits for it."""
        return self.workers.submit(fn, *args, **kwargs).result()

    def close(self) -> None:
        self.workers.shutdown(wait=False, cancel_futures=True)

    def _need_assistant(self) -> Any:
        assistant = self._view.assistant
        if assistant is None:
            raise IndexProblem(self.load_error)
        return assistant

    def _k(self, k: Any) -> int:
        """check_k, then no more than the index holds (a small index may have fewer than 10 passages)."""
        k = check_k(k)
        assistant = self._view.assistant
        return min(k, assistant.passage_count) if assistant is not None else k

    # 查看原文 ---------------------------------------------------------------------------------------

    def original(self, passage_id: Any) -> str:
        """HTML of the whole report holding this passage, the passage marked; an error line otherwise."""
        try:
            assistant = self._need_assistant()
            if not isinstance(passage_id, str) or not passage_id.strip() or len(passage_id) > MAX_FILTER:
                raise InputProblem("无法识别要查看的段落，请点击引用下的“查看原文”。")
            try:
                passage = assistant.index.by_id(passage_id.strip())
            except KeyError:
                raise InputProblem(
                    "这段文字所在的报告已不在索引中（可能刚被删除或替换），请重新提问。"
                ) from None
            text = self._report_text(assistant.index, passage.source)
            return render_original(passage_in_report(assistant.index, passage, text))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message
            return render_error(self.message_for(exc))

    def _report_text(self, index: Any, source: str) -> str:
        """original_text, remembered for the last few reports (a 10-page PDF takes about a second to read)."""
        key = (source, str(index.manifest.get("sources", {}).get(source)))
        with self._texts_lock:
            if key in self._texts:
                self._texts.move_to_end(key)
                return self._texts[key]
        text = original_text(index, source)
        with self._texts_lock:
            self._texts[key] = text
            while len(self._texts) > ORIGINALS_KEPT:
                self._texts.popitem(last=False)
        return text

    @staticmethod
    def message_for(exc: BaseException) -> str:
        """The one-line message a person sees for an exception; unexpected bugs are logged, not shown."""
        if isinstance(exc, InputProblem):
            return str(exc)
        if isinstance(exc, IndexProblem):
            log.warning("index problem: %s", exc)
            return f"索引不可用：{public(str(exc))}"
        if isinstance(exc, ValueError):
            return f"无法回答这个问题：{public(str(exc))}"
        log.error("unexpected error while answering", exc_info=exc)
        return "出错了，请稍后再试（详细信息已记录在服务器日志中）。"

    # API -------------------------------------------------------------------------------------------

    def ask_json(self, question: Any, k: Any = K_DEFAULT, city: Any = None, source: Any = None) -> dict:
        """One question, no history: the answer's to_dict(), or {"question", "error"}."""
        try:
            q = check_question(question)
            result = self.on_worker(
                self._need_assistant().ask,
                q,
                k=self._k(k),
                city=check_name(city, "城市"),
                source=check_name(source, "报告"),
            )
            return result.to_dict()
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message
            return {"question": _echo(question), "error": self.message_for(exc)}

    def chat_json(
        self, question: Any, history: Any = None, k: Any = K_DEFAULT, city: Any = None, source: Any = None
    ) -> dict:
        """A follow-up: replays the earlier questions in a fresh qa chat, then asks this one.

        Returns the answer's to_dict() plus "history" (pass it back with the next question),
        or {"question", "error", "history"}.
        """
        earlier: list[str] = []
        try:
            if history is None:
                history = []
            if not isinstance(history, list):
                raise InputProblem("history 必须是之前问题的列表。")
            earlier = [check_question(h) for h in history][-MAX_HISTORY:]
            q = check_question(question)
            options = {
                "k": self._k(k),
                "city": check_name(city, "城市"),
                "source": check_name(source, "报告"),
            }
            chat = self._need_assistant().chat()

            def replay() -> Any:
                for h in earlier:
                    chat.ask(h, **options)
                return chat.ask(q, **options)

            data = self.on_worker(replay).to_dict()
            data["history"] = [*earlier, q]
            return data
        except Exception as exc:  # noqa: BLE001
            return {
                "question": _echo(question),
                "error": self.message_for(exc),
                "history": earlier,
            }

    # JSON API (web/api.py): the same checks, errors as ApiError with an HTTP status -------------------

    def _api_error(self, exc: Exception) -> ApiError:
        if isinstance(exc, IndexProblem):
            return ApiError(503, self.message_for(exc))
        if isinstance(exc, ValueError):  # InputProblem included
            return ApiError(422, self.message_for(exc))
        raise exc  # a bug: logged by the API's 500 handler, never shown

    def ask_api(self, question: str, k: int, city: str | None, source: str | None) -> dict:
        """Answer.to_dict() for one question, or ApiError; called on an answering thread (web.api.Busy)."""
        try:
            q = check_question(question)
            result = self._need_assistant().ask(
                q, k=self._k(k), city=check_name(city, "城市"), source=check_name(source, "报告")
            )
        except Exception as exc:  # noqa: BLE001 - sorted into 422/503 or re-raised
            raise self._api_error(exc) from None
        return result.to_dict()

    def search_api(self, question: str, k: int, city: str | None, source: str | None) -> dict:
        """{"question", "hits": [...]}: the k best passages with their citation fields, or ApiError."""
        try:
            q = check_question(question)
            assistant = self._need_assistant()
            city, source = check_name(city, "城市"), check_name(source, "报告")
            if city is not None and city not in self.cities:
                raise InputProblem(f"city={city!r} 不在报告中；可选：{'、'.join(self.cities)}，或不填")
            if source is not None and source not in self.titles:
                raise InputProblem(f"source={source!r} 不是已收录的报告；GET /api/v1/reports 列出全部")
            hits = assistant.retriever.search(q, self._k(k), city=city, source=source)
        except Exception as exc:  # noqa: BLE001
            raise self._api_error(exc) from None
        return {"question": q, "hits": [hit_dict(rank, hit) for rank, hit in enumerate(hits, 1)]}

    def reports_api(self) -> list[dict[str, Any]]:
        """assistant.sources(), or ApiError 503 when no index is loaded."""
        try:
            self._need_assistant()
        except IndexProblem as exc:
            raise self._api_error(exc) from None
        return self.sources

    # UI --------------------------------------------------------------------------------------------

    def respond(
        self, question: str | None, scope: str | None, k: Any, session: Session | None
    ) -> Iterator[tuple[list[dict[str, str]], str, Session]]:
        """The chat handler: shows the question, a 'looking up' line, then the answer or an error."""
        session = session or Session()
        text = (question or "").strip()
        shown = session.messages + ([{"role": "user", "content": render_question(text)}] if text else [])
        try:
            q = check_question(question)
            city, source = parse_scope(scope)
            k = self._k(k)
            assistant = self._need_assistant()
        except Exception as exc:  # noqa: BLE001
            session.messages = [*shown, {"role": "assistant", "content": render_error(self.message_for(exc))}]
            # An over-long question stays in the box so it can be shortened.
            yield session.messages, (question or "") if text else "", session
            return
        yield [*shown, {"role": "assistant", "content": render_pending()}], "", session
        started = time.perf_counter()
        try:
            if session.chat is None:
                session.chat = assistant.chat()
            elif session.chat.assistant is not assistant:  # a new index was published: keep the history
                session.chat.assistant = assistant
            result = self.on_worker(session.chat.ask, q, k=k, city=city, source=source)
            reply = render_answer(result, self.titles, seconds=time.perf_counter() - started)
            session.last = result
        except Exception as exc:  # noqa: BLE001
            reply = render_error(self.message_for(exc))
            session.last = None
        session.messages = [*shown, {"role": "assistant", "content": reply}]
        if session.last is not None:
            session.answers[len(session.messages) - 1] = (q, result)
            for old in sorted(session.answers)[:-ANSWERS_KEPT]:
                del session.answers[old]
                session.rated.pop(old, None)
        yield session.messages, "", session

    def scope_choices(self) -> list[tuple[str, str]]:
        choices = [("全部报告", ALL)]
        choices += [(f"城市：{c}", f"city:{c}") for c in self.cities]
        for s in self.sources:
            place = " ".join(str(p) for p in (s.get("city"), s.get("year")) if p)
            label = f"报告：{s.get('title') or s['source']}" + (f"（{place}）" if place else "")
            choices.append((label, f"source:{s['source']}"))
        return choices

    def status_line(self) -> str:
        if self.assistant is None:
            return f"⚠️ 索引不可用：{public(self.load_error or '')}"
        cities = "、".join(self.cities) or "未知"
        return (
            f"已收录 {len(self.sources)} 份报告、{self.assistant.passage_count} 个段落（城市：{cities}）。"
            "回答只摘自报告原文，并附出处。"
        )
