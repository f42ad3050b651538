"""The 报告管理 tab (logged-in staff only): upload a report, check what was read, add it, list and remove reports.

A thin shell over index.reports (the code `python -m index add/remove/list` runs): it bounds what arrives
(one file a request, 20 MB, a kind the readers take), removes Gradio's copy of the upload when done, and
after each change swaps the running app onto the newly published index (qa.live), without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from index.audit import read_log
from index.errors import IndexProblem
from index.places.metadata import make_meta
from index.progress import Progress, reporting
from index.readers.read import SUPPORTED_SUFFIXES
from index.reports import (
    add_reports,
    change_report,
    list_report_rows,
    preview,
    seeds_of,
)
from index.trash import KEEP_DAYS, list_trash
from qa.live import LiveAssistant
from web.guard import EDITOR, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES
from web.uploads import UploadLedger
from web.view import public

log = logging.getLogger("app.reports")

# The file picker's filter: what the readers read; content decides (photos and scans are read by OCR).
UPLOAD_TYPES = list(SUPPORTED_SUFFIXES)
FIELDS = ("title", "place", "date")
HEADERS = ["文件", "标题", "地点", "日期", "段落数", "添加时间"]
AUDIT_HEADERS = ["时间", "操作人", "操作", "报告", "sha256"]
AUDIT_ACTIONS = {"add": "添加", "replace": "替换", "remove": "删除", "restore": "恢复"}
AUDIT_SHOWN = 50  # latest changes shown in the tab (python -m index audit lists all)
NOT_EDITOR = "⚠️ 只有编辑（editor）可以添加、删除或恢复报告；请用编辑的账号登录。"
REMOVE, RESTORE = "remove", "restore"
VERBS = {REMOVE: "删除", RESTORE: "恢复"}


@dataclass(frozen=True)
class Added:
    """A report added: its stored name, passages, passages embedded anew, fields declared, seconds taken."""

    name: str
    passages: int
    embedded: int
    declared: tuple[str, ...]
    seconds: float


class Unpublished(IndexProblem):
    """A change was made and published, but the new index could not be loaded: the old one still answers."""

    def __init__(self, name: str, cause: BaseException):
        super().__init__(str(cause))
        self.name = name


class ReportDesk:
    """Preview, add, remove and list the reports of the index a LiveAssistant serves.

    Args:
        live: the running app's assistant holder; reloaded after each change.
        on_publish: called with the new assistant after a change (the chat's ChatService.swap).
        seeds_dir: the reports folder (default: the one the index was built from).
        embedder: a loaded index.encode.embedder.Embedder to build with (default: loaded on the first add).
        upload_dir: where Gradio keeps uploads (serve() sets it from the mounted app); only files inside
            it are ever read or deleted.
        ledger: which login uploaded which file (serve() attaches it to the mounted app); a file is read only
            for the login that uploaded it.
    """

    def __init__(
        self,
        live: LiveAssistant,
        on_publish: Callable[[Any], None],
        *,
        seeds_dir: str | Path | None = None,
        embedder: Any = None,
        upload_dir: str | Path | None = None,
        ledger: UploadLedger | None = None,
    ):
        self.live, self.on_publish = live, on_publish
        self._seeds = Path(seeds_dir) if seeds_dir else None
        self._embedder = embedder
        self._embedder_lock = threading.Lock()
        self.ledger = ledger or UploadLedger(upload_dir or gr.utils.get_upload_folder())
        self.roles: dict[str, str] = {}  # user -> role (serve() sets it from the logins); absent: editor
        self.last_summary: Any = None  # the BuildSummary of the last add (its timings, for eval.bench)
        # The add under way and how far it has got (福鼎.pdf：OCR 识别第 3/10 页), for a page opened meanwhile.
        self.running: str | None = None

    @property
    def upload_dir(self) -> Path:
        return self.ledger.upload_dir

    @property
    def seeds_dir(self) -> Path:
        return self._seeds or seeds_of(self.live.index_dir)

    def embedder(self) -> Any:
        with self._embedder_lock:
            if self._embedder is None:
                from index.encode.embedder import Embedder

                self._embedder = Embedder.load()
            return self._embedder

    def warm_up(self) -> None:
        """Load now what every add needs (index.warm_up), so the first add is no slower than the next."""
        from index.warm_up import warm_up

        try:
            warm_up(self.live.index_dir, embedder=self.embedder())
        except Exception as exc:  # noqa: BLE001 - a failed warm-up costs the first add time, nothing else
            log.warning("loading what adds need failed (the first add loads it): %s", exc)

    def may_edit(self, user: str | None) -> bool:
        """Whether this logged-in user may add, remove and restore reports (an editor; no role: editor)."""
        return bool(user) and self.roles.get(user, EDITOR) == EDITOR

    # --- what a handler calls ---------------------------------------------------------------------
    def inspect(
        self, upload: Any, login: str | None, progress: Progress | None = None
    ) -> tuple[dict[str, str], str]:
        """The inferred title/place/date of a file this login uploaded (for the fields) and a one-line note;
        progress hears page N of M while a long PDF or a scan is read."""
        if not self.may_edit(self.ledger.user(login)):
            self.discard(upload)
            return {}, NOT_EDITOR
        try:
            path = self._upload_path(upload, login)
            with reporting(progress):
                found = preview(self._read(path), path.name)
        except (IndexProblem, ValueError) as exc:
            self.discard(upload)
            return {}, f"⚠️ 无法读取：{_line(exc)}"
        inferred = {"title": found.title or "", "place": found.city or "", "date": str(found.year or "")}
        note = (
            f"读出：{found.kind}，{found.paragraphs} 段，{found.chars} 字。标题、地点、年份已按原文填入，"
            "改正后点“确认添加”（没读出的可以补上）。"
        )
        if found.year_evidence:
            note += (
                f"年份{found.year}是由原文推断的（{' '.join(found.year_evidence.split())[:60]}），请核对。"
            )
        return inferred, note

    def add(
        self,
        upload: Any,
        values: dict[str, str | None],
        inferred: dict[str, str] | None,
        login: str | None,
        progress: Progress | None = None,
    ) -> str:
        """Add the report this login uploaded (declaring only the fields changed from what was read); one line.
        progress hears the pages read and the passages embedded."""
        user = self.ledger.user(login)
        if not self.may_edit(user):
            self.discard(upload)
            return NOT_EDITOR
        try:
            done = self.add_path(
                self._upload_path(upload, login), values, inferred, user=user, progress=progress
            )
        except Unpublished as exc:
            return f"⚠️ 已添加 {exc.name}，但问答仍在用旧索引（新索引无法加载：{_line(exc)}）。"
        except (IndexProblem, ValueError) as exc:
            return f"⚠️ 没有添加，索引未改变：{_line(exc)}"
        except Exception as exc:  # noqa: BLE001 - a bug: logged, one line shown
            log.error("adding a report failed", exc_info=exc)
            return "⚠️ 出错了，索引未改变（详细信息已记录在服务器日志中）。"
        finally:
            self.discard(upload)
        declared_note = f"；声明了 {'、'.join(done.declared)}" if done.declared else ""
        return (
            f"已添加 {done.name}：{done.passages} 个段落（新嵌入 {done.embedded} 个）{declared_note}，"
            f"用时 {done.seconds:.1f} 秒。现在就可以在“问答”里提问。"
        )

    def add_path(
        self,
        path: Path,
        values: dict[str, str | None],
        inferred: dict[str, str] | None = None,
        *,
        user: str | None,
        via: str = "web",
        progress: Progress | None = None,
    ) -> Added:
        """Add one report file (an upload of the tab or the JSON API) and serve the new index; the caller checked
        the role. Declares only the fields changed from `inferred`. Raises IndexProblem or ValueError with the
        index unchanged, Unpublished when it changed but the new build could not be loaded."""
        started = time.perf_counter()
        self._read(path)  # the size bound again: an API call may skip the preview
        inferred = inferred or {}
        declared = {}
        for key in FIELDS:
            value = " ".join(str(values.get(key) or "").split())
            if value and value != inferred.get(key, ""):
                declared[key] = value
        meta = make_meta(**declared)

        def follow(stage: str, done: int, total: int, name: str) -> None:
            self.running = step_text(stage, done, total, name or path.name)
            if progress is not None:
                progress(stage, done, total, name)

        self.running = f"{path.name}：开始读取"
        try:
            added, summary = add_reports(
                [path], seeds_dir=self.seeds_dir, index_dir=self.live.index_dir, meta=meta,
                embedder=self.embedder(), who=f"{user} ({via})", progress=follow,
            )  # fmt: skip
        finally:
            self.running = None
        name = added[0].name
        self.last_summary = summary
        try:
            assistant = self._publish()
        except IndexProblem as exc:
            log.error("the index with %s was published but could not be loaded: %s", name, exc)
            raise Unpublished(name, exc) from exc
        count = sum(1 for p in assistant.index.passages if p.source == name)
        return Added(name, count, summary.embedded, tuple(declared), time.perf_counter() - started)

    def remove(self, name: Any, user: str | None) -> str:
        """Remove one report by its file name (to the trash), for an editor; a one-line result."""
        return self._said(
            name, user, REMOVE, choose="请先在列表中选择要删除的报告。",
            done=f"问答不再引用它（移入回收站，保留 {KEEP_DAYS} 天，可以恢复）。",
        )  # fmt: skip

    def restore(self, name: Any, user: str | None) -> str:
        """Bring a removed report back from the trash, for an editor; a one-line result."""
        return self._said(
            name,
            user,
            RESTORE,
            choose="请先在回收站列表中选择要恢复的报告。",
            done="现在就可以在“问答”里提问。",
        )

    def _said(self, name: Any, user: str | None, action: str, *, choose: str, done: str) -> str:
        """change() as the tab's one line."""
        verb = VERBS[action]
        if not self.may_edit(user):
            return NOT_EDITOR
        if not name or not isinstance(name, str):
            return choose
        try:
            self.change(name, action, user=user)
        except Unpublished as exc:
            return f"⚠️ 已{verb} {name}，但问答仍在用旧索引（新索引无法加载：{_line(exc)}）。"
        except (IndexProblem, ValueError) as exc:
            return f"⚠️ 没有{verb}，索引未改变：{_line(exc)}"
        except Exception as exc:  # noqa: BLE001
            log.error("%s a report failed", action, exc_info=exc)
            return "⚠️ 出错了，索引未改变（详细信息已记录在服务器日志中）。"
        return f"已{verb} {name}，{done}"

    def change(self, name: str, action: str, *, user: str | None, via: str = "web") -> None:
        """Remove (to the trash) or restore one report, rebuild, and serve the new index; the caller checked the
        role. Raises IndexProblem (ReportNameError: no such report) or ValueError with the index unchanged,
        Unpublished when it changed but the new build could not be loaded."""
        change_report(
            name, action, seeds_dir=self.seeds_dir, index_dir=self.live.index_dir, embedder=self.embedder(),
            who=f"{user} ({via})",
        )  # fmt: skip
        try:
            self._publish()
        except IndexProblem as exc:
            log.error("the index after %s %s was published but could not be loaded: %s", action, name, exc)
            raise Unpublished(name, exc) from exc

    def audit_rows(self) -> list[list[str]]:
        """The latest changes (add, replace, remove, restore): when, who, what, which report, its sha256."""
        try:
            entries = read_log(self.seeds_dir, last=AUDIT_SHOWN)
        except OSError as exc:
            log.warning("reading the audit log failed: %s", exc)
            return []
        return [
            [time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.when)), e.who,
             AUDIT_ACTIONS.get(e.action, e.action), e.name, (e.sha256 or "")[:16]]
            for e in entries
        ]  # fmt: skip

    def trash_names(self) -> list[tuple[str, str]]:
        """The reports in the trash as (label, name), newest first; one per name (restore takes the newest)."""
        try:
            entries = list_trash(self.seeds_dir)
        except OSError as exc:
            log.warning("listing the trash failed: %s", exc)
            return []
        seen, choices = set(), []
        for e in entries:
            if e.name not in seen:
                seen.add(e.name)
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(e.removed))
                choices.append((f"{e.name}（{when} 删除）", e.name))
        return choices

    def rows(self) -> list[list[Any]]:
        """The reports as table rows: file, title, place, date, passages, when added."""
        try:
            if self.live.changed():  # another process (the CLI) published: answer from it too
                self.on_publish(self.live.reload())
        except IndexProblem as exc:
            log.warning("could not load the newly published index: %s", exc)
        assistant = self.live.current
        try:
            rows = list_report_rows(self.seeds_dir, assistant.index if assistant else None)
        except (IndexProblem, OSError) as exc:
            log.warning("listing reports failed: %s", exc)
            return []
        return [
            [r.name, r.title, r.place, r.date, "-" if r.passages is None else r.passages,
             time.strftime("%Y-%m-%d %H:%M", time.localtime(r.added))]
            for r in rows
        ]  # fmt: skip

    def names(self) -> list[str]:
        return [row[0] for row in self.rows()]

    # --- uploads ----------------------------------------------------------------------------------
    def _upload_path(self, upload: Any, login: str | None) -> Path:
        """The uploaded file's path; only one file, only one this login uploaded (so in Gradio's upload folder)."""
        if isinstance(upload, list):
            if len(upload) != MAX_UPLOAD_FILES:
                raise ValueError(
                    f"{len(upload)} files in one request; add {MAX_UPLOAD_FILES} report at a time"
                )
            upload = upload[0]
        if upload is None:
            raise ValueError("no file chosen; choose a .docx, .pdf, .html, .md or .txt report first")
        path = _path_of(upload)
        if path is None or not self.ledger.owns(login, path) or not path.is_file() or path.is_symlink():
            raise ValueError("the file is not an upload of this page; choose the file again")
        return path

    @staticmethod
    def _read(path: Path) -> bytes:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise ValueError(
                f"{path.name}: {size / 2**20:.1f} MB is over the {MAX_UPLOAD_BYTES // 2**20} MB a web upload may "
                "have; split it, or add it with python -m index add"
            )
        return path.read_bytes()

    def discard(self, upload: Any) -> None:
        """Delete Gradio's copy of an upload (and its folder when empty); nothing outside the upload folder."""
        for item in upload if isinstance(upload, list) else [upload]:
            path = _path_of(item)
            if path is None or not path.is_relative_to(self.upload_dir) or path == self.upload_dir:
                continue
            path.unlink(missing_ok=True)
            self.ledger.forget(path)
            if path.parent != self.upload_dir:
                try:
                    path.parent.rmdir()  # Gradio's per-upload folder, when nothing else is in it
                except OSError:
                    pass

    def _publish(self) -> Any:
        assistant = self.live.reload()
        self.on_publish(assistant)
        return assistant


def _path_of(upload: Any) -> Path | None:
    """The resolved path of an upload as the events get it: Gradio's file dict (preprocess off), or a path."""
    value = upload.get("path") if isinstance(upload, dict) else upload
    if not isinstance(value, str | Path) or not str(value):
        return None
    return Path(value).resolve()


def _line(exc: BaseException) -> str:
    """An error as one line, server paths cut to their last part."""
    return public(" ".join(str(exc).split()))


_STAGES = {"page": "读取第 {}/{} 页", "ocr": "OCR 识别第 {}/{} 页", "embed": "已嵌入 {}/{} 个段落"}


def step_text(stage: str, done: int, total: int, name: str) -> str:
    """One index.progress step in words: 报告.pdf：OCR 识别第 3/10 页."""
    text = _STAGES.get(stage, stage + " {}/{}").format(done, total)
    return f"{name}：{text}" if name else text


def _shown(bar: gr.Progress) -> Progress:
    """index.progress steps shown on Gradio's progress bar."""

    def show(stage: str, done: int, total: int, name: str) -> None:
        bar((done, total), desc=step_text(stage, done, total, name), unit="页" if stage != "embed" else "段")

    return show


def build_tab(
    desk: ReportDesk, refresh_chat: tuple[Callable[[], tuple], list[Any]]
) -> tuple[Callable[[], tuple], list[Any]]:
    """The 报告管理 tab's components and events, inside the current gr.Blocks/gr.Tab.

    Args:
        desk: the ReportDesk.
        refresh_chat: (function, outputs) that refresh the chat tab after a change (scope menu, status line).
    Returns:
        (function, outputs) that fill the report list and the remove menu, for the page's load event.
    """
    # preprocess=False: the events get Gradio's file dict as sent; the desk checks that its path lies in the
    # upload folder. (gr.File's own preprocessing leaves an empty temp file behind on every event.)
    limits = {"concurrency_limit": 1, "concurrency_id": "reports", "api_visibility": "private"}
    raw = {"preprocess": False}
    refresh, refresh_outputs = refresh_chat
    gr.Markdown(
        f"上传一份报告（Word .docx、PDF、Excel .xlsx、网页 .html/.htm、.md、.txt，或扫描件、照片 .jpg/.png；"
        f"每次一份，不超过 {MAX_UPLOAD_BYTES // 2**20} MB）。读出的标题、地点和日期会填在下面，核对后点“确认添加”；"
        "扫描件和照片由 OCR 识别，每页约需十几秒，进度条显示读到第几页。添加后问答立即使用新报告，不需要重启。"
    )
    upload = gr.File(
        label="报告文件", file_count="single", file_types=UPLOAD_TYPES, type="filepath", elem_id="report-file"
    )
    with gr.Row():
        title = gr.Textbox(label="标题", max_lines=1, max_length=200, elem_id="report-title", scale=3)
        place = gr.Textbox(
            label="地点（如 南平、慈溪市）", max_lines=1, max_length=20, elem_id="report-place"
        )
        date = gr.Textbox(
            label="日期（2021、2021-12 或 2021-12-15）", max_lines=1, max_length=10, elem_id="report-date"
        )
    inferred = gr.State(None)
    add = gr.Button("确认添加", variant="primary", elem_id="report-add")
    running = gr.Markdown("", elem_id="report-running")
    message = gr.Markdown("", elem_id="report-message")
    gr.Markdown("#### 已收录的报告")
    table = gr.Dataframe(
        headers=HEADERS, datatype=["str"] * len(HEADERS), interactive=False, wrap=True, elem_id="report-list"
    )
    with gr.Row():
        chosen = gr.Dropdown(label="选择要删除的报告", choices=[], elem_id="report-chosen", scale=3)
        remove = gr.Button("删除", variant="stop", elem_id="report-remove", scale=1)
    gr.Markdown(f"#### 回收站（删除的报告保留 {KEEP_DAYS} 天）")
    with gr.Row():
        trashed = gr.Dropdown(label="选择要恢复的报告", choices=[], elem_id="report-trashed", scale=3)
        restore = gr.Button("恢复", variant="secondary", elem_id="report-restore", scale=1)

    gr.Markdown("#### 操作记录（谁在何时添加、替换、删除或恢复了哪份报告）")
    audit = gr.Dataframe(
        headers=AUDIT_HEADERS, datatype=["str"] * len(AUDIT_HEADERS), interactive=False, wrap=True,
        elem_id="report-audit",
    )  # fmt: skip

    def listing() -> tuple[Any, Any, Any, Any, Any]:
        rows = desk.rows()
        return (rows, gr.Dropdown(choices=[r[0] for r in rows], value=None),
                gr.Dropdown(choices=desk.trash_names(), value=None), desk.audit_rows(),
                running_line(desk))  # fmt: skip

    def login_of(request: gr.Request | None) -> str | None:
        return desk.ledger.login(request.headers.get("cookie") if request is not None else None)

    def on_file(path: dict | None, request: gr.Request, bar=gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        if not path:
            return "", "", "", None, ""
        found, note = desk.inspect(path, login_of(request), progress=_shown(bar))
        if not found:
            return "", "", "", None, note
        return found["title"], found["place"], found["date"], found, note

    def on_add(
        path: dict | None,
        t: str,
        p: str,
        d: str,
        known: dict | None,
        request: gr.Request,
        bar=gr.Progress(),  # noqa: B008 - Gradio's way of asking for a progress bar
    ) -> tuple[Any, ...]:
        values = {"title": t, "place": p, "date": d}
        note = desk.add(path, values, known, login_of(request), progress=_shown(bar))
        return (note, None, "", "", "", None, *listing(), *refresh())

    def on_remove(name: str | None, request: gr.Request) -> tuple[Any, ...]:
        return (desk.remove(name, request.username), *listing(), *refresh())

    def on_restore(name: str | None, request: gr.Request) -> tuple[Any, ...]:
        return (desk.restore(name, request.username), *listing(), *refresh())

    upload.upload(on_file, upload, [title, place, date, inferred, message], **limits, **raw)
    upload.clear(lambda: ("", "", "", None, ""), None, [title, place, date, inferred, message], queue=False,
                 api_visibility="private")  # fmt: skip
    add.click(
        on_add,
        [upload, title, place, date, inferred],
        [
            message,
            upload,
            title,
            place,
            date,
            inferred,
            table,
            chosen,
            trashed,
            audit,
            running,
            *refresh_outputs,
        ],
        **limits,
        **raw,
    )
    # The browser asks before a report is removed; a refusal sends no name.
    remove.click(
        on_remove,
        chosen,
        [message, table, chosen, trashed, audit, running, *refresh_outputs],
        js="(name) => (name && confirm('删除报告 ' + name + '？问答将不再引用它（可在回收站恢复）。')) ? name : null",
        **limits,
    )
    restore.click(
        on_restore, trashed, [message, table, chosen, trashed, audit, running, *refresh_outputs], **limits
    )
    return listing, [table, chosen, trashed, audit, running]


def running_line(desk: ReportDesk) -> str:
    """What a page opened during an add shows: the report being added and how far it has got, or nothing."""
    if desk.running is None:
        return ""
    return f"⏳ 正在添加 {desk.running}（添加完成后刷新本页即可看到新报告）"
