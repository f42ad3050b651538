"""Web chat over the trade-union work reports (Gradio) with its /ask and /chat endpoints, and the JSON API.

Run: [APP_AUTH=user:pass] python app.py [--host 127.0.0.1] [--port 7860] [--index-dir DIR] [--auth-file FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import ipaddress
import logging
import os
import re
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Any

# Before gradio is imported: no usage statistics, no model downloads.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from index.errors import IndexProblem  # noqa: E402
from index.store.spec import add_store_options, store_from_args  # noqa: E402
from web.chat import (  # noqa: E402
    ALL,
    CONCURRENCY,
    K_DEFAULT,
    K_MAX,
    K_MIN,
    MAX_QUESTION,
    ChatService,
    InputProblem,
)
from web.guard import EDITOR, ROLES  # noqa: E402
from web.server import WebApp, serve  # noqa: E402 - part of this module's API (tests, tools)
from web.table import chart_updates  # noqa: E402
from web.view import (  # noqa: E402
    SCROLL_TO_ORIGINAL,
)

log = logging.getLogger("app")

QUEUE_SIZE = 16  # waiting requests; more are turned away with "queue full" (HTTP 503)
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


def build_app(
    assistant: Any | None,
    *,
    load_error: str | None = None,
    queue_size: int = QUEUE_SIZE,
    concurrency: int = CONCURRENCY,
    manage: dict[str, Any] | None = None,
    feedback: dict[str, Any] | None = None,
) -> WebApp:
    """The Gradio app around an Assistant (or around the message of why none could be loaded).

    Args:
        assistant: a loaded qa.Assistant, or None when loading failed.
        load_error: the message shown in the chat when assistant is None.
        queue_size: requests that may wait; more are turned away with "queue full".
        concurrency: questions answered at the same time.
        manage: adds the 报告管理 tab (upload, list, remove; serve() then needs auth): {"index_dir": the
            index folder, and optionally "seeds_dir", "embedder" (to build with), "upload_dir"}.
    Returns:
        A WebApp: the Blocks, queued, with what serve() needs beside them (which adds the JSON API and the
        house security settings).
    """
    options = dict(manage or {})
    service = ChatService(
        assistant, load_error, concurrency=concurrency, index_dir=options.pop("index_dir", None)
    )
    desk = None
    if manage is not None:
        from web.reports import ReportDesk

        desk = ReportDesk(service.live, service.swap, **options)
    from web.feedback import FeedbackDesk, chat_feedback

    reviews = FeedbackDesk(service, **(feedback or {}))
    qa_limits = {"concurrency_limit": concurrency, "concurrency_id": "qa"}
    # Tables offered as CSV are written here (small files, named by their content); the folder is ours, so it
    # goes when the page object does or the process ends.
    csv_folder = Path(tempfile.mkdtemp(prefix="qa-tables-"))
    # delete_cache: Gradio's cached files (uploads to the 报告管理 tab, removed once used) go within the hour.
    with gr.Blocks(title="工会工作报告问答", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        weakref.finalize(demo, shutil.rmtree, csv_folder, True)
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
                # Replies are HTML built by web.view with every report string escaped; Markdown and LaTeX
                # are off so that text from a report (links, *, $$) is never interpreted.
                render_markdown=False,
                sanitize_html=True,
                allow_tags=False,
                latex_delimiters=[],
                buttons=[],  # the copy button would copy our HTML source, not the text
                feedback_options=("Like", "Dislike"),  # 👍 / 👎 under each answer (web.feedback)
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
            # A question across reports: its table drawn (bars, or a line for a series of years) and as CSV.
            with gr.Row(elem_id="table-extras"):
                bar = gr.BarPlot(visible=False, label="图表", height=260, elem_id="table-bar", scale=4)
                line = gr.LinePlot(visible=False, label="历年变化", height=260, elem_id="table-line", scale=4)
                csv_file = gr.DownloadButton(
                    "下载表格（CSV）", visible=False, size="sm", scale=1, min_width=140, elem_id="table-csv"
                )
            examples = gr.Dataset(
                components=[question],
                samples=[[q] for q in EXAMPLES],
                label="示例问题（点击即问）",
                type="index",
                elem_id="examples",
            )
            state = gr.State(None, time_to_live=3600)
            chat_feedback(reviews, chatbot, state)
            with gr.Column(visible=False, elem_id="original-panel") as original_panel:
                with gr.Row(equal_height=True):
                    gr.Markdown("#### 原文")
                    close_original = gr.Button(
                        "关闭原文", size="sm", scale=0, min_width=90, elem_id="close-original"
                    )
                original = gr.HTML(elem_id="original")
            # VIEW_JS (web.view) clicks this hidden button with the passage id of the 查看原文 clicked.
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
            extras = {"fn": lambda session: chart_updates(session, csv_folder), "inputs": state}
            extras.update(outputs=[bar, line, csv_file], queue=False, api_visibility="private")
            question.submit(service.respond, [question, scope, k, state], outputs, **answer).then(
                None, js=SCROLL_TO_REPLY
            ).then(**extras)
            examples.click(
                lambda i: EXAMPLES[i], examples, question, queue=False, api_visibility="private"
            ).then(service.respond, [question, scope, k, state], outputs, **answer).then(
                None, js=SCROLL_TO_REPLY
            ).then(**extras)
            # The button and the chat's own trash icon both start a new conversation (new qa chat, no history).
            clear.click(lambda: ([], None, ""), None, outputs, queue=False, api_visibility="private").then(
                **extras
            )
            chatbot.clear(lambda: ([], None, ""), None, outputs, queue=False, api_visibility="private").then(
                **extras
            )

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

            # Shown to editors only; every change it makes is checked against the login's role on the server too.
            with gr.Tab("报告管理", id="reports-tab", visible=False) as reports_tab:
                listing, listing_outputs = build_tab(desk, (refresh, [scope, status]))
            from web.feedback import review_tab

            with gr.Tab("反馈", id="feedback-tab", visible=False) as feedback_tab:
                reviewed, reviewed_outputs = review_tab(reviews)

            def review(request: gr.Request) -> tuple[Any, ...]:
                if reviews.may_review(getattr(request, "username", None)):
                    return reviewed()
                return tuple(gr.update() for _ in reviewed_outputs)

            feedback_tab.select(review, None, reviewed_outputs, queue=False, api_visibility="private")

            def on_load(request: gr.Request) -> tuple[Any, ...]:
                editor = desk.may_edit(getattr(request, "username", None))
                listed = listing() if editor else tuple(gr.update() for _ in listing_outputs)
                return (*refresh(), gr.Tab(visible=editor), *listed, gr.Tab(visible=editor), *review(request))

            load_outputs = [scope, status, reports_tab, *listing_outputs, feedback_tab, *reviewed_outputs]
        demo.load(on_load, None, load_outputs, queue=False, api_visibility="private")
    demo.queue(max_size=queue_size, default_concurrency_limit=concurrency, api_open=False)
    arity = {fn.__name__: len(inspect.signature(fn).parameters) for fn in (ask, chat)}
    return WebApp(
        demo,
        service,
        concurrency=concurrency,
        queue_size=queue_size,
        desk=desk,
        arity=arity,
        feedback=reviews,
    )


class Accounts(list):
    """The logins: (user, password) pairs, as Gradio and the JSON API take them, and each user's role in
    `roles` (editor: may add, remove and restore reports; reader: may only ask)."""

    def __init__(self, pairs: list[tuple[str, str]] = (), roles: dict[str, str] | None = None):
        super().__init__(pairs)
        self.roles = dict(roles or {})


def parse_auth(value: str | None) -> Accounts | None:
    """'user:pass' or 'user:pass:reader|editor' (several separated by commas or lines); None when empty.

    A line without a role is an editor's (as before roles existed). A password may hold colons, but may not
    end in ':reader' or ':editor'."""
    if not value or not value.strip():
        return None
    pairs, roles = [], {}
    for item in re.split(r"[,\n]", value):
        if not item.strip():
            continue
        user, sep, password = item.strip().partition(":")
        role = EDITOR
        head, colon, tail = password.rpartition(":")
        if colon and tail.strip().lower() in ROLES and head:
            password, role = head, tail.strip().lower()
        if not sep or not user or not password:
            shown = f"{user}:…" if sep else repr(item.strip()[:40])
            raise InputProblem(
                f"APP_AUTH/--auth-file must hold user:pass[:reader|editor] entries (got {shown})"
            )
        pairs.append((user, password))
        roles[user] = role
    return Accounts(pairs, roles) if pairs else None


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
        raise InputProblem(f"--auth-file {auth_file} holds no user:pass[:reader|editor] line")
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


def warm_up(web_app: WebApp, assistant: Any) -> None:
    """What questions and adds need, loaded after the server is up (main runs it in a background thread).

    The question readers (jieba's dictionary, the place matcher, LAC: about 0.8 s of CPU) first: a question
    asked meanwhile waits for them and gets the same answer. Then, with the 报告管理 tab, what every add needs
    (the repair's libraries, POS tables, the build's encoder: the first add took 0.1-3.1 s longer without).
    """
    assistant.warm_up()
    if web_app.desk is not None:
        web_app.desk.warm_up()


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
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a name the app answers to besides loopback ones and --host (the proxy's or the users' name); "
        "repeat for several",
    )
    parser.add_argument(
        "--behind-proxy",
        action="store_true",
        help="trust X-Forwarded-For from a proxy on this machine (the login throttle then counts the real client)",
    )
    add_store_options(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("bm25s", "httpx", "sentence_transformers"):  # their per-request/per-load chatter
        logging.getLogger(name).setLevel(logging.WARNING)
    # bm25s sets its own logger to DEBUG when imported (after the line above), and transformers draws a
    # "Loading weights" bar when a first build loads the model: this process prints warnings and the Ready line.
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)
    from huggingface_hub.utils import disable_progress_bars

    disable_progress_bars()

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
    # With a login, editors get the 报告管理 tab (upload, list, remove); without one the page takes no files and
    # the JSON API's report routes take changes from this machine only.
    manage = {"index_dir": args.index_dir}
    demo = build_app(
        assistant,
        load_error=load_error,
        queue_size=args.queue_size,
        concurrency=args.concurrency,
        manage=manage,
    )
    try:
        server = serve(
            demo,
            host=args.host,
            port=args.port,
            auth=auth,
            allowed_hosts=args.allowed_host,
            behind_proxy=args.behind_proxy,
        )
    except OSError as exc:
        print(
            f"error: cannot serve on {args.host}:{args.port} ({exc}); choose another with --port or --host",
            file=sys.stderr,
        )
        return 1
    if assistant is not None:
        threading.Thread(target=warm_up, args=(demo, assistant), name="qa-warm-up", daemon=True).start()
    # SIGTERM (systemd, docker stop) stops like Ctrl-C: open requests finish, Gradio's cache is removed.
    signal.signal(signal.SIGTERM, _stop)
    print(f"Ready: {server.url}  (started in {time.perf_counter() - started:.1f} s)", flush=True)
    print(f"JSON API: {server.url}api/v1/ask (OpenAPI page: {server.url}docs)", flush=True)
    server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
