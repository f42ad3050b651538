"""Feedback in the web app: 👍 / 👎 under each answer (with an optional correction), and the editors' 反馈 tab
that accepts an entry into the gold set (eval/gold_feedback.jsonl) or keeps it out.

A thin shell over qa.feedback (the store, its bounds, the gold line); the JSON API's POST /api/v1/feedback calls
the same FeedbackDesk.give.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from index.settings import PROJECT_ROOT
from qa.feedback import (
    ACCEPTED,
    DOWN,
    NEW,
    NOT_IN_REPORTS,
    UP,
    VERDICT_SIGNS,
    Feedback,
    FeedbackStore,
    check_correction,
    index_version,
)
from web.guard import EDITOR
from web.view import public

log = logging.getLogger("app.feedback")

GOLD_NAME = "gold_feedback.jsonl"
SHOWN = 200  # entries the 反馈 tab lists (newest first)
NOT_REVIEWER = "⚠️ 只有编辑（editor）可以审核反馈；请用编辑的账号登录。"
STATUS_LABELS = {NEW: "待审核", ACCEPTED: "已接受", "rejected": "未接受"}


def default_gold_file(index_dir: str | Path) -> Path:
    """Where accepted feedback goes: eval/gold_feedback.jsonl in a checkout, else beside the index folder."""
    if (PROJECT_ROOT / "eval" / "gold.py").is_file():
        return PROJECT_ROOT / "eval" / GOLD_NAME
    return Path(index_dir).absolute().parent / GOLD_NAME


def citations_of(answer: Any) -> list[dict[str, str]]:
    """The citations an answer showed, as feedback stores them."""
    return [
        {"source": c.source, "title": c.title or "", "passage_id": c.passage_id, "text": c.text}
        for c in answer.citations
    ]


class FeedbackDesk:
    """Give feedback on the answers of the index a ChatService serves, and review it.

    Args:
        service: the web.chat.ChatService (its live index folder places the store; its assistant stamps the version).
        gold_file: where accepted entries go (default: default_gold_file).
        store: the FeedbackStore (default: the one beside the index folder).
    """

    def __init__(
        self, service: Any, *, gold_file: str | Path | None = None, store: FeedbackStore | None = None
    ):
        self.service = service
        index_dir = service.live.index_dir
        self.store = store or FeedbackStore.beside(index_dir)
        self.gold_file = Path(gold_file) if gold_file else default_gold_file(index_dir)
        self.roles: dict[str, str] = {}  # user -> role (serve() sets it); absent: editor
        self.login_required = False  # serve() sets it: then nothing anonymous is taken

    def may_review(self, user: str | None) -> bool:
        return bool(user) and self.roles.get(user, EDITOR) == EDITOR

    def give(self, user: str, **given: Any) -> Feedback:
        """Store one verdict (question, answer, verdict, citations, correction: as FeedbackStore.add takes them)
        stamped with the index version answering now; ValueError / FeedbackFull."""
        assistant = self.service.assistant
        version = index_version(assistant.index) if assistant is not None else "none"
        return self.store.add(user=user, version=version, **given)

    def accept(self, entry_id: Any, user: str | None) -> str:
        """The 反馈 tab's 接受: the entry becomes a gold line; a one-line result."""
        if not self.may_review(user):
            return NOT_REVIEWER
        if entry_id in (None, ""):
            return "请先选择要审核的反馈。"
        assistant = self.service.assistant
        passages = assistant.index.passages if assistant is not None else ()
        try:
            _, line = self.store.accept(int(entry_id), by=user, gold_file=self.gold_file, passages=passages)
        except (ValueError, OSError) as exc:
            return f"⚠️ 没有接受：{public(' '.join(str(exc).split()))}"
        return f"已接受反馈 {entry_id}：写入 {self.gold_file.name}（{line['id']}，{line['kind']}）。"

    def reject(self, entry_id: Any, user: str | None) -> str:
        """The 反馈 tab's 不接受: recorded, kept out of the gold set; a one-line result."""
        if not self.may_review(user):
            return NOT_REVIEWER
        if entry_id in (None, ""):
            return "请先选择要审核的反馈。"
        try:
            self.store.reject(int(entry_id), by=user)
        except ValueError as exc:
            return f"⚠️ {public(str(exc))}"
        return f"反馈 {entry_id} 未接受（已记录，不进入评测）。"

    def pending(self) -> list[tuple[str, str]]:
        """The entries awaiting review, as menu choices (label, id), newest first."""
        return [
            (f"{e.id}：{VERDICT_SIGNS[e.verdict]} {e.question[:30]}", str(e.id))
            for e in self.store.entries(status=NEW, limit=SHOWN)
        ]

    def listing(self) -> str:
        return render_entries(self.store.entries(limit=SHOWN))


def render_entries(entries: list[Feedback]) -> str:
    """The 反馈 tab's table: every field escaped (a question or correction is shown as text, never as HTML)."""
    if not entries:
        return '<p class="qa-feedback-empty">还没有反馈。</p>'
    head = "".join(
        f"<th>{h}</th>" for h in ("编号", "时间", "用户", "问题", "回答", "评价", "更正", "原文", "状态")
    )
    rows = []
    for e in entries:
        fix = e.correction
        cells = (
            str(e.id),
            time.strftime("%Y-%m-%d %H:%M", time.localtime(e.at)),
            e.user,
            e.question,
            e.answer or "（未给出答案）",
            VERDICT_SIGNS.get(e.verdict, e.verdict),
            fix.answer if fix else "",
            fix.passage if fix else "",
            STATUS_LABELS.get(e.status, e.status) + (f"（{e.gold_id}）" if e.gold_id else ""),
        )
        rows.append(f'<tr data-id="{e.id}">' + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f'<table class="qa-feedback"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def user_of(desk: FeedbackDesk, request: gr.Request | None) -> str | None:
    """Who gives feedback from the page: the login; without a login, "anonymous" on this machine only."""
    user = getattr(request, "username", None) if request is not None else None
    if user:
        return user
    host = getattr(getattr(request, "client", None), "host", None) or ""
    if not desk.login_required and host in ("127.0.0.1", "::1", "localhost"):
        return "anonymous"
    return None


def chat_feedback(desk: FeedbackDesk, chatbot: gr.Chatbot, state: gr.State) -> None:
    """Under the chat, inside the current Blocks: the 👍/👎 events and the 👎's correction panel."""
    note = gr.Markdown("", elem_id="feedback-note")
    pending = gr.State(None)
    with gr.Column(visible=False, elem_id="feedback-panel") as panel:
        gr.Markdown(
            f"这个回答不对？写出正确的数字或说法（报告里没有就写“{NOT_IN_REPORTS}”），并粘贴说明它的原文（可选）。"
        )
        with gr.Row(equal_height=True):
            fix = gr.Textbox(label="正确答案", max_lines=1, max_length=200, elem_id="feedback-fix", scale=2)
            passage = gr.Textbox(
                label="说明它的原文", lines=2, max_length=2000, elem_id="feedback-passage", scale=4
            )
        send = gr.Button("提交更正", variant="primary", size="sm", elem_id="feedback-send")

    def on_like(data: gr.LikeData, session: Any, request: gr.Request) -> tuple[Any, ...]:
        user = user_of(desk, request)
        if user is None:
            return "⚠️ 请登录后再反馈。", gr.Column(visible=False), None
        asked = (getattr(session, "answers", None) or {}).get(
            data.index if isinstance(data.index, int) else -1
        )
        if asked is None or data.liked not in (True, False):
            return "", gr.Column(visible=False), None
        question, answer = asked
        verdict = UP if data.liked else DOWN
        try:
            entry = None
            if (
                data.index in session.rated
            ):  # a changed mind on the same answer: one entry, its verdict changed
                try:
                    entry = desk.store.revise(session.rated[data.index], user, verdict)
                except ValueError:  # reviewed meanwhile: a new entry
                    entry = None
            if entry is None:
                entry = desk.give(user, question=question, answer=answer.answer or "", verdict=verdict,
                                  citations=citations_of(answer))  # fmt: skip
            session.rated[data.index] = (
                entry.id
            )  # the Session object is this tab's own (gr.State by reference)
        except ValueError as exc:  # FeedbackFull included
            return f"⚠️ 反馈没有记录：{public(str(exc))}", gr.Column(visible=False), None
        if verdict == UP:
            return "谢谢，已记录 👍。", gr.Column(visible=False), None
        return "已记录 👎。知道正确答案的话，请在下面写出（可选）。", gr.Column(visible=True), entry.id

    def on_send(entry_id: Any, answer: str, text: str, request: gr.Request) -> tuple[Any, ...]:
        user = user_of(desk, request)
        if user is None or entry_id is None:
            return "⚠️ 请先点 👎 再提交更正。", gr.Column(visible=False), entry_id, answer, text
        try:
            correction = check_correction(answer, text)
            if correction is None:
                return "⚠️ 请写出正确答案（或“报告中没有”）。", gr.Column(visible=True), entry_id, answer, text
            desk.store.correct(entry_id, user, correction)
        except ValueError as exc:
            return f"⚠️ 更正没有记录：{public(str(exc))}", gr.Column(visible=True), entry_id, answer, text
        return "谢谢，更正已记录；编辑审核后会加入评测。", gr.Column(visible=False), None, "", ""

    private = {"queue": False, "api_visibility": "private"}
    chatbot.like(on_like, state, [note, panel, pending], **private)
    send.click(on_send, [pending, fix, passage], [note, panel, pending, fix, passage], **private)


def review_tab(desk: FeedbackDesk) -> tuple[Callable[[], tuple], list[Any]]:
    """The 反馈 tab's components and events, inside the current gr.Tab; returns (fill, outputs) for page loads."""
    gr.Markdown(
        f"员工对回答的反馈，最新的在前。接受一条：它成为评测题（写入 {desk.gold_file.name}，"
        "`python -m eval --gold` 可以直接评测）；不接受：记录下来，不进入评测。"
    )
    table = gr.HTML(elem_id="feedback-list")
    with gr.Row():
        chosen = gr.Dropdown(label="选择要审核的反馈", choices=[], elem_id="feedback-chosen", scale=3)
        accept = gr.Button("接受", variant="primary", elem_id="feedback-accept", scale=1)
        reject = gr.Button("不接受", variant="secondary", elem_id="feedback-reject", scale=1)
    message = gr.Markdown("", elem_id="feedback-message")

    def fill() -> tuple[Any, Any]:
        return desk.listing(), gr.Dropdown(choices=desk.pending(), value=None)

    def on_accept(entry_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        return (desk.accept(entry_id, request.username), *fill())

    def on_reject(entry_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        return (desk.reject(entry_id, request.username), *fill())

    limits = {"concurrency_limit": 1, "concurrency_id": "feedback", "api_visibility": "private"}
    accept.click(on_accept, chosen, [message, table, chosen], **limits)
    reject.click(on_reject, chosen, [message, table, chosen], **limits)
    return fill, [table, chosen]
