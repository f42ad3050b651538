"""Web chat over the trade-union work reports (Gradio), plus the /ask and /chat API endpoints.

Run: python app.py [--host 127.0.0.1] [--port 7860] [--index-dir DIR] [--auth user:pass]
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Before gradio is imported: no usage statistics, no model downloads.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from app_view import CSS, render_answer, render_error, render_pending, render_question  # noqa: E402
from index.errors import IndexProblem  # noqa: E402

log = logging.getLogger("app")

MAX_QUESTION = 500  # characters; checked here because the browser's max_length does not bind API calls
K_MIN, K_MAX, K_DEFAULT = 1, 10, 5
MAX_HISTORY = 10  # earlier questions /chat replays for a follow-up
MAX_FILTER = 200  # characters of a city or report name passed through the API
QUEUE_SIZE = 16  # waiting requests; more are turned away with "queue full" (HTTP 503)
CONCURRENCY = 2  # questions answered at once: one per core on the 2-core target machine
ALL = "all"
EXAMPLES = [  # one per city, each answered by the reports (tests/app/test_app_api.py checks)
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
    """k as an int in K_MIN..K_MAX, or InputProblem."""
    if k is None or k == "":
        return K_DEFAULT
    try:
        value = float(k)
    except (TypeError, ValueError):
        raise InputProblem(f"引用段落数 k={k!r} 不是数字；请取 {K_MIN} 到 {K_MAX} 之间的整数。") from None
    if value != int(value) or not K_MIN <= value <= K_MAX:
        raise InputProblem(f"引用段落数 k={k!r} 超出范围；请取 {K_MIN} 到 {K_MAX} 之间的整数。")
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


@dataclass
class Session:
    """One browser tab's conversation: the qa chat (for follow-ups) and the messages shown."""

    chat: Any = None
    messages: list[dict[str, str]] = field(default_factory=list)


class ChatService:
    """What the UI and the API call: validates input, asks the assistant, turns exceptions into messages."""

    def __init__(self, assistant: Any | None, load_error: str | None = None):
        self.assistant = assistant
        self.load_error = load_error if assistant is None else None
        if assistant is None and not load_error:
            self.load_error = "索引没有加载。"
        self.sources: list[dict[str, Any]] = list(assistant.sources()) if assistant else []
        self.cities: list[str] = list(assistant.cities()) if assistant else []
        self.titles = {s["source"]: s.get("title") or s["source"] for s in self.sources}

    def _need_assistant(self) -> Any:
        if self.assistant is None:
            raise IndexProblem(self.load_error)
        return self.assistant

    def _k(self, k: Any) -> int:
        """check_k, then no more than the index holds (a small index may have fewer than 10 passages)."""
        k = check_k(k)
        return min(k, self.assistant.passage_count) if self.assistant is not None else k

    @staticmethod
    def message_for(exc: BaseException) -> str:
        """The one-line message a person sees for an exception; unexpected bugs are logged, not shown."""
        if isinstance(exc, InputProblem):
            return str(exc)
        if isinstance(exc, IndexProblem):
            return f"索引不可用：{exc}"
        if isinstance(exc, ValueError):
            return f"无法回答这个问题：{exc}"
        log.error("unexpected error while answering", exc_info=exc)
        return "出错了，请稍后再试（详细信息已记录在服务器日志中）。"

    # API -------------------------------------------------------------------------------------------

    def ask_json(self, question: Any, k: Any = K_DEFAULT, city: Any = None, source: Any = None) -> dict:
        """One question, no history: the answer's to_dict(), or {"question", "error"}."""
        try:
            q = check_question(question)
            result = self._need_assistant().ask(
                q, k=self._k(k), city=check_name(city, "城市"), source=check_name(source, "报告")
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
            for h in earlier:
                chat.ask(h, **options)
            data = chat.ask(q, **options).to_dict()
            data["history"] = [*earlier, q]
            return data
        except Exception as exc:  # noqa: BLE001
            return {
                "question": _echo(question),
                "error": self.message_for(exc),
                "history": earlier,
            }

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
            result = session.chat.ask(q, k=k, city=city, source=source)
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
            return f"⚠️ 索引不可用：{self.load_error}"
        cities = "、".join(self.cities) or "未知"
        return (
            f"已收录 {len(self.sources)} 份报告、{self.assistant.passage_count} 个段落（城市：{cities}）。"
            "回答只摘自报告原文，并附出处。"
        )


def build_app(
    assistant: Any | None,
    *,
    load_error: str | None = None,
    queue_size: int = QUEUE_SIZE,
    concurrency: int = CONCURRENCY,
) -> gr.Blocks:
    """The Gradio app around an Assistant (or around the message of why none could be loaded).

    Args:
        assistant: a loaded qa.Assistant, or None when loading failed.
        load_error: the message shown in the chat when assistant is None.
        queue_size: requests that may wait; more are turned away with "queue full".
        concurrency: questions answered at the same time.
    Returns:
        The Blocks, queued, ready for launch() (use serve() for the house settings).
    """
    service = ChatService(assistant, load_error)
    qa_limits = {"concurrency_limit": concurrency, "concurrency_id": "qa"}
    with gr.Blocks(title="工会工作报告问答", analytics_enabled=False) as demo:
        gr.Markdown("## 工会工作报告问答")
        gr.Markdown(service.status_line(), elem_id="status")
        with gr.Row(equal_height=True):
            scope = gr.Dropdown(
                choices=service.scope_choices(),
                value=ALL,
                label="范围（全部、某个城市或某份报告）",
                scale=3,
                min_width=220,
                elem_id="scope",
            )
            k = gr.Slider(K_MIN, K_MAX, value=K_DEFAULT, step=1, label="引用段落数", scale=2, min_width=180)
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

        outputs = [chatbot, question, state]
        answer = {"show_progress": "hidden", "api_visibility": "private", **qa_limits}
        question.submit(service.respond, [question, scope, k, state], outputs, **answer).then(
            None, js=SCROLL_TO_REPLY
        )
        examples.click(lambda i: EXAMPLES[i], examples, question, queue=False, api_visibility="private").then(
            service.respond, [question, scope, k, state], outputs, **answer
        ).then(None, js=SCROLL_TO_REPLY)
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
    demo.queue(max_size=queue_size, default_concurrency_limit=concurrency, api_open=False)
    return demo


def serve(
    demo: gr.Blocks,
    *,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    auth: list[tuple[str, str]] | None = None,
) -> str:
    """Launch without blocking, with the house security settings; returns the local URL."""
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        auth=auth or None,
        auth_message="请登录" if auth else None,
        share=False,
        prevent_thread_lock=True,
        quiet=True,
        show_error=False,
        enable_monitoring=False,
        allowed_paths=None,
        max_file_size="16kb",  # nothing is uploaded; keep the upload route from taking large files
        footer_links=["api"],
        run_history=False,
        mcp_server=False,
        ssr_mode=False,
        strict_cors=True,
        state_session_capacity=1000,
        css=CSS,
    )
    return url


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """'user:pass' (several separated by commas) as Gradio's list of pairs; None when empty."""
    if not value:
        return None
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise InputProblem(f"--auth/APP_AUTH must look like user:pass (got {item.strip()!r})")
        pairs.append((user, password))
    return pairs


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Web chat over the trade-union work reports.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument(
        "--index-dir", type=Path, default=None, help="index directory (default: the qa default)"
    )
    parser.add_argument(
        "--auth",
        default=None,
        help="user:pass required to use the app (or env APP_AUTH); needed off loopback",
    )
    parser.add_argument("--queue-size", type=int, default=QUEUE_SIZE, help="requests that may wait")
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help="questions answered at once")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("bm25s", "httpx", "sentence_transformers"):  # their per-request/per-load chatter
        logging.getLogger(name).setLevel(logging.WARNING)

    try:
        auth = parse_auth(args.auth or os.environ.get("APP_AUTH"))
    except InputProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not is_loopback(args.host) and not auth:
        print(
            f"error: --host {args.host} makes the app reachable from the network; "
            "require a login with --auth user:pass or APP_AUTH=user:pass",
            file=sys.stderr,
        )
        return 2

    started = time.perf_counter()
    print("Loading the index (built from seeds/ when missing or stale)…", flush=True)
    from qa import Assistant

    assistant, load_error = None, None
    try:
        assistant = Assistant.load(index_dir=args.index_dir, build_if_missing=True, warm_up=True)
    except IndexProblem as exc:
        load_error = str(exc)
        print(f"error: the index cannot be used: {exc}", file=sys.stderr)
        print("The app starts anyway and shows this message in the chat.", file=sys.stderr)
    demo = build_app(
        assistant, load_error=load_error, queue_size=args.queue_size, concurrency=args.concurrency
    )
    try:
        url = serve(demo, host=args.host, port=args.port, auth=auth)
    except OSError as exc:
        print(
            f"error: cannot serve on {args.host}:{args.port} ({exc}); choose another with --port",
            file=sys.stderr,
        )
        return 1
    print(f"Ready: {url}  (started in {time.perf_counter() - started:.1f} s)", flush=True)
    demo.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
