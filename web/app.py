"""Web chat over the trade-union work reports (Gradio) with its /ask and /chat endpoints, and the JSON API.

Run: [APP_AUTH=user:pass] python app.py [--host 127.0.0.1] [--port 7860] [--index-dir DIR] [--auth-file FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import ipaddress
import logging
import math
import os
import re
import signal
import socket
import stat
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Before gradio is imported: no usage statistics, no model downloads.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from index.errors import IndexProblem  # noqa: E402
from index.original import original_text, passage_in_report  # noqa: E402
from index.store.spec import add_store_options, store_from_args  # noqa: E402
from web.api import ApiError  # noqa: E402
from web.server import serve  # noqa: E402 - part of this module's API (tests, tools)
from web.view import (  # noqa: E402
    SCROLL_TO_ORIGINAL,
    public,
    render_answer,
    render_error,
    render_original,
    render_pending,
    render_question,
)

log = logging.getLogger("app")

MAX_QUESTION = 500  # characters; checked here because the browser's max_length does not bind API calls
K_MIN, K_MAX, K_DEFAULT = 1, 10, 5
MAX_HISTORY = 10  # earlier questions /chat replays for a follow-up
MAX_FILTER = 200  # characters of a city or report name passed through the API
QUEUE_SIZE = 16  # waiting requests; more are turned away with "queue full" (HTTP 503)
CONCURRENCY = 2  # questions answered at once: one per core on the 2-core target machine
ALL = "all"
ORIGINALS_KEPT = 8  # report texts kept in memory for 查看原文
EXAMPLES = [  # one per city, each answered by the reports (tests/web/test_api.py checks)
    "南平工会组建率是多少",
    "漳州工会会员有多少",  # the two Zhangzhou reports disagree: shows the variants
    "衢州有多少支职工技术服务队",
    "龙岩帮扶困难职工多少户",
]


# Long replies (answer, then citations) would push the answer out of view with autoscroll; show the
# newest question at the top of the chat instead, so its answer is read first.
SCROLL_TO_REPLY = """() => {
  const qs = document.querySelectorAll('#chat .qa-q');
  const last = qs[qs.length - 1];
  if (last) last.scrollIntoView({block: 'start', behavior: 'instant'});
}"""


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
        """Answer.to_dict() for one question, or ApiError; called on an answering thread (app_api.Busy)."""
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
        return {"question": q, "hits": [_hit_dict(rank, hit) for rank, hit in enumerate(hits, 1)]}

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
        except Exception as exc:  # noqa: BLE001
            reply = render_error(self.message_for(exc))
        session.messages = [*shown, {"role": "assistant", "content": reply}]
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


def _hit_dict(rank: int, hit: Any) -> dict[str, Any]:
    """One search hit with the fields a citation carries (no answer span: nothing is extracted)."""
    p = hit.passage
    return {
        "rank": rank,
        "passage_id": p.id,
        "source": p.source,
        "title": p.title,
        "city": p.city,
        "year": p.year,
        "paragraph": p.paragraph,
        "kind": p.kind,
        "text": p.text,
        "score": float(hit.score),
        "legs": list(hit.legs),
        "matched": list(hit.matched),
        "parts": [loc.to_dict() for loc in p.parts],
        "also_in": [loc.to_dict() for loc in p.also_in],
    }


def build_app(
    assistant: Any | None,
    *,
    load_error: str | None = None,
    queue_size: int = QUEUE_SIZE,
    concurrency: int = CONCURRENCY,
    manage: dict[str, Any] | None = None,
) -> gr.Blocks:
    """The Gradio app around an Assistant (or around the message of why none could be loaded).

    Args:
        assistant: a loaded qa.Assistant, or None when loading failed.
        load_error: the message shown in the chat when assistant is None.
        queue_size: requests that may wait; more are turned away with "queue full".
        concurrency: questions answered at the same time.
        manage: adds the 报告管理 tab (upload, list, remove; serve() then needs auth): {"index_dir": the
            index folder, and optionally "seeds_dir", "embedder" (to build with), "upload_dir"}.
    Returns:
        The Blocks, queued, ready for serve() (which adds the JSON API and the house security settings).
    """
    options = dict(manage or {})
    service = ChatService(
        assistant, load_error, concurrency=concurrency, index_dir=options.pop("index_dir", None)
    )
    desk = None
    if manage is not None:
        from web.reports import ReportDesk

        desk = ReportDesk(service.live, service.swap, **options)
    qa_limits = {"concurrency_limit": concurrency, "concurrency_id": "qa"}
    # delete_cache: Gradio's cached files (uploads to the 报告管理 tab, removed once used) go within the hour.
    with gr.Blocks(title="工会工作报告问答", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown("## 工会工作报告问答")
        status = gr.Markdown(service.status_line(), elem_id="status")
        chat_tab = gr.Tab("问答", id="chat-tab") if desk else contextlib.nullcontext()
        with chat_tab:
            with gr.Row(equal_height=True):
                scope = gr.Dropdown(
                    choices=service.scope_choices(),
                    value=ALL,
                    label="范围（全部、某个城市或某份报告）",
                    scale=3,
                    min_width=220,
                    elem_id="scope",
                )
                k = gr.Slider(
                    K_MIN, K_MAX, value=K_DEFAULT, step=1, label="引用段落数", scale=2, min_width=180
                )
            chatbot = gr.Chatbot(
                label="对话",
                show_label=False,
                elem_id="chat",
                autoscroll=False,  # SCROLL_TO_REPLY shows the new question and the start of its answer instead
                height="62vh",
                min_height=320,
                layout="panel",
                # Replies are HTML built by app_view with every report string escaped; Markdown and LaTeX
                # are off so that text from a report (links, *, $$) is never interpreted.
                render_markdown=False,
                sanitize_html=True,
                allow_tags=False,
                latex_delimiters=[],
                buttons=[],  # the copy button would copy our HTML source, not the text
                feedback_options=None,
                placeholder="输入问题，按回车发送。可以接着追问，例如先问“南平工会组建率是多少”，再问“那龙岩呢？”",
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    label="问题",
                    show_label=False,
                    placeholder="输入问题，按回车发送",
                    max_length=MAX_QUESTION,
                    submit_btn="发送",
                    scale=5,
                    min_width=200,
                    elem_id="question",
                )
                clear = gr.Button("清空对话", variant="secondary", scale=1, min_width=90, elem_id="clear")
            examples = gr.Dataset(
                components=[question],
                samples=[[q] for q in EXAMPLES],
                label="示例问题（点击即问）",
                type="index",
                elem_id="examples",
            )
            state = gr.State(None, time_to_live=3600)
            with gr.Column(visible=False, elem_id="original-panel") as original_panel:
                with gr.Row(equal_height=True):
                    gr.Markdown("#### 原文")
                    close_original = gr.Button(
                        "关闭原文", size="sm", scale=0, min_width=90, elem_id="close-original"
                    )
                original = gr.HTML(elem_id="original")
            # VIEW_JS (app_view) clicks this hidden button with the passage id of the 查看原文 clicked.
            view_passage = gr.Textbox(visible="hidden", elem_id="view-pid")
            view_go = gr.Button("查看原文", visible="hidden", elem_id="view-go")
            view_go.click(
                lambda pid: (gr.Column(visible=True), service.original(pid)),
                view_passage,
                [original_panel, original],
                js="(pid) => window.qaViewPassage || pid",
                api_visibility="private",
                concurrency_limit=concurrency,
                concurrency_id="original",
            ).then(None, js=SCROLL_TO_ORIGINAL)
            close_original.click(
                lambda: gr.Column(visible=False), None, original_panel, queue=False, api_visibility="private"
            )

            outputs = [chatbot, question, state]
            answer = {"show_progress": "hidden", "api_visibility": "private", **qa_limits}
            question.submit(service.respond, [question, scope, k, state], outputs, **answer).then(
                None, js=SCROLL_TO_REPLY
            )
            examples.click(
                lambda i: EXAMPLES[i], examples, question, queue=False, api_visibility="private"
            ).then(service.respond, [question, scope, k, state], outputs, **answer).then(
                None, js=SCROLL_TO_REPLY
            )
            # The button and the chat's own trash icon both start a new conversation (new qa chat, no history).
            clear.click(lambda: ([], None, ""), None, outputs, queue=False, api_visibility="private")
            chatbot.clear(lambda: ([], None, ""), None, outputs, queue=False, api_visibility="private")

            def ask(
                question: str, k: int = K_DEFAULT, city: str | None = None, source: str | None = None
            ) -> dict:
                """Answer one question from the reports; returns the answer's JSON, or {"question", "error"}."""
                return service.ask_json(question, k, city, source)

            def chat(
                question: str,
                history: list[str] | None = None,
                k: int = K_DEFAULT,
                city: str | None = None,
                source: str | None = None,
            ) -> dict:
                """Answer a follow-up: pass the "history" list from the previous /chat reply (or none)."""
                return service.chat_json(question, history, k, city, source)

            gr.api(ask, api_name="ask", **qa_limits)
            gr.api(chat, api_name="chat", **qa_limits)

        def refresh() -> tuple[Any, str]:
            """The scope menu and status line for the index answered from now (after an add or remove)."""
            service.refresh()
            return gr.Dropdown(choices=service.scope_choices()), service.status_line()

        on_load, load_outputs = refresh, [scope, status]
        if desk is not None:
            from web.reports import build_tab

            with gr.Tab("报告管理", id="reports-tab"):
                listing, listing_outputs = build_tab(desk, (refresh, [scope, status]))
            on_load, load_outputs = (lambda: (*refresh(), *listing())), [scope, status, *listing_outputs]
        demo.load(on_load, None, load_outputs, queue=False, api_visibility="private")
    demo.queue(max_size=queue_size, default_concurrency_limit=concurrency, api_open=False)
    # For serve(): the JSON API's service and limits, and how many arguments each endpoint takes.
    demo.qa_service, demo.qa_limits, demo.qa_desk = service, (concurrency, queue_size), desk
    demo.qa_arity = {fn.__name__: len(inspect.signature(fn).parameters) for fn in (ask, chat)}
    return demo


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """'user:pass' (several separated by commas or lines) as a list of pairs; None when empty."""
    if not value or not value.strip():
        return None
    pairs = []
    for item in re.split(r"[,\n]", value):
        if not item.strip():
            continue
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            shown = f"{user}:…" if sep else repr(item.strip()[:40])
            raise InputProblem(f"APP_AUTH/--auth-file must hold user:pass entries (got {shown})")
        pairs.append((user, password))
    return pairs or None


def read_auth(auth_file: Path | None, environ: dict[str, str] | os._Environ = os.environ) -> list | None:
    """The accounts from --auth-file (one user:pass a line) or else $APP_AUTH; InputProblem when unusable."""
    if auth_file is None:
        return parse_auth(environ.get("APP_AUTH"))
    try:
        text = auth_file.read_text(encoding="utf-8")
        mode = auth_file.stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblem(
            f"cannot read --auth-file {auth_file}: {exc}; give a readable UTF-8 file"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s is readable by other users; run: chmod 600 %s", auth_file, auth_file)
    accounts = parse_auth(text)
    if not accounts:
        raise InputProblem(f"--auth-file {auth_file} holds no user:pass line")
    return accounts


def loopback_addresses(host: str) -> list[str]:
    """The addresses host resolves to when every one is loopback; [] when any is not (or none resolves)."""
    host = host.strip()
    if not host:
        return []
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        return []
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        mapped = getattr(ip, "ipv4_mapped", None)
        if not (ip.is_loopback or (mapped is not None and mapped.is_loopback)):
            return []
        addresses.append(str(ip))
    return addresses


def is_loopback(host: str) -> bool:
    """Whether binding host keeps the app on this machine (every address it resolves to is loopback)."""
    return bool(loopback_addresses(host))


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Web chat and JSON API over the trade-union work reports.",
        epilog="Login: APP_AUTH=user:pass in the environment, or --auth-file FILE (one user:pass a line).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument(
        "--index-dir", type=Path, default=None, help="index directory (default: the qa default)"
    )
    parser.add_argument(
        "--auth-file", type=Path, default=None, help="file of user:pass lines required to use the app"
    )
    parser.add_argument("--auth", default=None, help=argparse.SUPPRESS)  # removed: see the error below
    parser.add_argument("--queue-size", type=int, default=QUEUE_SIZE, help="requests that may wait")
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help="questions answered at once")
    add_store_options(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("bm25s", "httpx", "sentence_transformers"):  # their per-request/per-load chatter
        logging.getLogger(name).setLevel(logging.WARNING)

    if args.auth is not None:
        print(
            "error: --auth was removed: it shows the password to every user of this machine (ps); "
            "set APP_AUTH=user:pass in the environment or use --auth-file FILE",
            file=sys.stderr,
        )
        return 2
    if not 0 <= args.port <= 65535 or not 1 <= args.concurrency <= 64 or not 0 <= args.queue_size <= 10_000:
        print("error: --port must be 0..65535, --concurrency 1..64, --queue-size 0..10000", file=sys.stderr)
        return 2
    try:
        auth = read_auth(args.auth_file)
        store = store_from_args(args)
    except (InputProblem, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not is_loopback(args.host) and not auth:
        print(
            f"error: --host {args.host!r} is not (only) a loopback address, so the app would be reachable from "
            "the network; require a login with APP_AUTH=user:pass or --auth-file FILE, and put it behind "
            "HTTPS (README: Serving beyond this machine)",
            file=sys.stderr,
        )
        return 2

    started = time.perf_counter()
    print("Loading the index (built from seeds/ when missing or stale)…", flush=True)
    from qa import Assistant

    assistant, load_error = None, None
    try:
        assistant = Assistant.load(index_dir=args.index_dir, build_if_missing=True, store=store)
    except IndexProblem as exc:
        load_error = str(exc)
        print(f"error: the index cannot be used: {exc}", file=sys.stderr)
        print("The app starts anyway and shows this message in the chat.", file=sys.stderr)
    # With a login, staff get the 报告管理 tab (upload, list, remove); without one the app takes no files.
    manage = {"index_dir": args.index_dir} if auth else None
    demo = build_app(
        assistant,
        load_error=load_error,
        queue_size=args.queue_size,
        concurrency=args.concurrency,
        manage=manage,
    )
    try:
        server = serve(demo, host=args.host, port=args.port, auth=auth)
    except OSError as exc:
        print(
            f"error: cannot serve on {args.host}:{args.port} ({exc}); choose another with --port or --host",
            file=sys.stderr,
        )
        return 1
    if assistant is not None:
        # The question readers (jieba's dictionary, the place matcher, LAC: about 0.8 s of CPU) load after the
        # server is up instead of before: a question asked in that second waits for them and gets the same answer.
        threading.Thread(target=assistant.warm_up, name="qa-warm-up", daemon=True).start()
    # SIGTERM (systemd, docker stop) stops like Ctrl-C: open requests finish, Gradio's cache is removed.
    signal.signal(signal.SIGTERM, _stop)
    print(f"Ready: {server.url}  (started in {time.perf_counter() - started:.1f} s)", flush=True)
    print(f"JSON API: {server.url}api/v1/ask (OpenAPI page: {server.url}docs)", flush=True)
    server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
