"""The JSON HTTP API (/api/v1/ask, /api/v1/search, /api/v1/reports) and its OpenAPI page, for other tools.

Same answers as the chat, bounded input (pydantic), JSON errors: 422 bad input, 401/429 login, 503 busy.
"""

import asyncio
import html
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa import feedback as fb
from qa.validate import K_MAX, MAX_NAME_CHARS, MAX_QUESTION_CHARS
from web.api_models import Answer, FeedbackEntry, Hits, Report, ReportAdded, ReportChanged, errors
from web.guard import (
    MAX_UPLOAD_BYTES,
    LoginThrottle,
    Scope,
    basic_credentials,
    client_of,
    login_refusal,
    staff_refusal,
)

log = logging.getLogger("app.api")

MAX_QUESTION = (
    MAX_QUESTION_CHARS  # the library's limit; a longer question is refused with 422 rather than cut
)
MAX_NAME = MAX_NAME_CHARS


class ApiError(Exception):
    """An error reply: HTTP status, message, optional headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class Query(BaseModel):
    """A question with its options; the same fields for /ask and /search."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION, examples=["南平工会组建率是多少"])
    # Strict: "5", 5.0 and true are refused (422), as the Python API refuses them.
    k: StrictInt = Field(5, ge=1, le=K_MAX, description="citations (/ask) or passages (/search)")
    city: str | None = Field(
        None, max_length=MAX_NAME, description="only this city's reports", examples=[None]
    )
    source: str | None = Field(
        None, max_length=MAX_NAME, description="only this report file", examples=[None]
    )


class CitationShown(BaseModel):
    """A citation as the answer showed it (the fields feedback keeps)."""

    model_config = ConfigDict(extra="ignore")  # a whole citation from /ask may be sent back as it is

    source: str = Field("", max_length=fb.MAX_CITATION_TEXT)
    title: str = Field("", max_length=fb.MAX_CITATION_TEXT)
    passage_id: str = Field("", max_length=fb.MAX_CITATION_TEXT)
    text: str = Field("", max_length=fb.MAX_CITATION_TEXT)


class CorrectionIn(BaseModel):
    """What the answer should have been."""

    model_config = ConfigDict(extra="forbid")

    answer: str = Field(
        min_length=1,
        max_length=fb.MAX_CORRECTION,
        description=f'the right figure or phrase, or "{fb.NOT_IN_REPORTS}"',
    )
    passage: str = Field("", max_length=fb.MAX_PASSAGE, description="the report's words that state it")
    source: str = Field("", max_length=MAX_NAME, description="the report file it is in (found when left out)")


class FeedbackIn(BaseModel):
    """A verdict on one answer."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION, examples=["南平工会组建率是多少"])
    answer: str = Field("", max_length=fb.MAX_ANSWER, description="the answer given (empty when none was)")
    citations: list[CitationShown] = Field([], max_length=fb.MAX_CITATIONS, description="the citations shown")
    verdict: Literal["up", "down"] = Field(description='"up" (👍) or "down" (👎)')
    correction: CorrectionIn | None = Field(
        None, description="with a 👎: the right answer and where it is said"
    )


class Busy:
    """Runs questions on the service's answering threads: `concurrency` at once, `waiting` more in line,
    and the rest turned away with 503 at once."""

    def __init__(self, workers: Executor, concurrency: int, waiting: int):
        self.workers, self.capacity = workers, concurrency + waiting
        self.admitted = 0

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self.admitted >= self.capacity:  # checked and counted on the event loop: no lock needed
            raise ApiError(
                503, f"busy: {self.capacity} questions in progress; retry shortly", {"retry-after": "1"}
            )
        self.admitted += 1
        try:
            return await asyncio.wrap_future(self.workers.submit(fn, *args))
        finally:
            self.admitted -= 1


def api_router(
    service: Any,
    *,
    auth: list[tuple[str, str]] | None,
    throttle: LoginThrottle,
    concurrency: int,
    waiting: int,
    desk: Any = None,
    feedback: Any = None,
) -> APIRouter:
    """The /api/v1 routes over a ChatService (app.py), behind HTTP Basic with the chat's accounts when auth.

    desk: the web.reports.ReportDesk (the report routes answer 404 without one); feedback: the
    web.feedback.FeedbackDesk (POST /feedback)."""
    busy = Busy(service.workers, concurrency, waiting)
    basic = HTTPBasic(auto_error=False, description="the chat's user and password (APP_AUTH)")
    accounts = dict(auth or [])
    roles = dict(getattr(auth, "roles", None) or {})  # web.app.Accounts; plain pairs: all editors

    def login(
        request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)]
    ) -> str | None:
        given = (credentials.username, credentials.password) if credentials is not None else None
        refused = login_refusal(accounts, throttle, client_of(request.scope), given)
        if refused is not None:
            raise ApiError(*refused)
        return given[0] if given else None

    def staff(request: Request, editor: bool, doing: str) -> str:
        """The user who may do this (an editor's login when `editor`; "anonymous" on this machine without a
        login), or ApiError 401/403/429."""
        given = basic_credentials(request.scope)
        refused = staff_refusal(accounts, roles, throttle, request.scope, given, editor=editor, doing=doing)
        if refused is not None:
            raise ApiError(*refused)
        return given[0] if given and accounts else "anonymous"

    def editor(request: Request) -> str:
        if desk is None:
            raise ApiError(404, "this server manages no reports (started without an index folder to change)")
        return staff(request, True, "add, remove or restore reports")

    def may_upload(scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        """For the gate, before an upload's body is read: None, or why this request may not upload."""
        return staff_refusal(accounts, roles, throttle, scope, basic_credentials(scope), editor=True,
                             doing="add, remove or restore reports")  # fmt: skip

    def follow() -> None:
        # A build another process published (python -m index add) is served from the next request on,
        # not only after a page load: one realpath per request, a reload once per publish. An app that
        # could not load its index keeps saying why (503) rather than loading some other folder's.
        if service.assistant is not None:
            service.refresh()

    router = APIRouter(prefix="/api/v1", dependencies=[Depends(login), Depends(follow)], tags=["qa"])

    # Each route sends the library's dict as it is (JSONResponse: no re-serialisation through the model);
    # response_model and responses only describe the replies in /openapi.json.
    asked = errors(400, 401, 403, 404, 405, 413, 422, 429, 500, 503)

    @router.post("/ask", summary="Answer a question from the reports", response_model=Answer, responses=asked)
    async def ask(query: Query) -> JSONResponse:
        """The answer's JSON: answer, sentence, citations (source, title, city, year, paragraph, text, span), notes;
        "table" for a question across reports ({measure, rows: [{place, year, answer, value, unit, source,
        passage_id, sentence}]}) and "items" for a list question ([{text, source, passage_id}])."""
        return JSONResponse(
            await busy.run(service.ask_api, query.question, query.k, query.city, query.source)
        )

    @router.post(
        "/search",
        summary="The best passages for a question, without extracting an answer",
        response_model=Hits,
        responses=asked,
    )
    async def search(query: Query) -> JSONResponse:
        """{"question", "hits": [{rank, passage_id, source, title, city, year, paragraph, kind, text, score, ...}]}."""
        return JSONResponse(
            await busy.run(service.search_api, query.question, query.k, query.city, query.source)
        )

    @router.get(
        "/reports",
        summary="The indexed reports",
        response_model=list[Report],
        responses=errors(400, 401, 403, 404, 405, 413, 429, 500, 503),
    )
    async def reports() -> JSONResponse:
        """One row per report: source, title, city, year, and every article's titles, cities and years."""
        return JSONResponse(service.reports_api())

    changed = errors(400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503, why={
        403: "a reader's login (only editors change reports), a request from another machine to a server "
        "without a login, or a cross-origin request",
        404: "no report of that name (in the reports, or in the trash for restore)",
        409: "the name is taken by another report: remove that one first",
        413: f"the upload is over {MAX_UPLOAD_BYTES // 2**20} MB or holds more than one file",
        422: "the file does not read as a report, its name or metadata is refused; the index is unchanged",
        503: "the change was made but the new index could not be loaded: the old one still answers",
    })  # fmt: skip

    def apply(fn: Callable[[], Any], missing: int = 404) -> Any:
        """Run a report change, its refusals as ApiError (`missing` for a name that is no report, 409 a name
        taken, 422 refused, 503 not loaded)."""
        from index.errors import IndexProblem, ReportNameError
        from web.reports import Unpublished

        try:
            return fn()
        except Unpublished as exc:
            raise ApiError(
                503, f"{exc.name} was changed, but the new index could not be loaded: {exc}"
            ) from None
        except ReportNameError as exc:
            taken = "clashes with" in str(exc) or "a file of that name" in str(
                exc
            )  # index.reports, index.trash
            raise ApiError(409 if taken else missing, public_line(exc)) from None
        except (IndexProblem, ValueError) as exc:
            raise ApiError(422, public_line(exc)) from None

    @router.post(
        "/reports",
        summary="Add a report (editors): the file as multipart/form-data, title/place/date optional",
        response_model=ReportAdded,
        responses=changed,
    )
    async def add_report(
        request: Request,
        file: Annotated[UploadFile, File(description="one report: .docx, .pdf, .html, .md, .txt or a scan")],
        title: Annotated[str, Form(max_length=200)] = "",
        place: Annotated[str, Form(max_length=20)] = "",
        date: Annotated[str, Form(max_length=10)] = "",
    ) -> JSONResponse:
        """The same readers, limits, audit log and trash as the 报告管理 tab; the JSON API answers from the new
        index at once. A name already taken is refused (remove that report first)."""
        import shutil
        import tempfile
        from pathlib import Path

        from index.reports import safe_name

        user = editor(request)
        if len((await request.form()).getlist("file")) != 1:  # the form is parsed once: this is its cache
            raise ApiError(413, "an upload may carry 1 file; add one report at a time")
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise ApiError(413, f"the file is over the {MAX_UPLOAD_BYTES // 2**20} MB an upload may have")
        folder = Path(tempfile.mkdtemp(prefix="qa-api-upload-"))
        try:
            try:
                name = safe_name(file.filename or "report", "")
            except ValueError:
                name = "report"
            path = folder / name
            path.write_bytes(data)
            values = {"title": title, "place": place, "date": date}
            added = await asyncio.to_thread(
                apply, lambda: desk.add_path(path, values, user=user, via="api"), 422
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return JSONResponse(
            {"name": added.name, "passages": added.passages, "embedded": added.embedded,
             "declared": list(added.declared), "seconds": round(added.seconds, 2)}
        )  # fmt: skip

    def change_route(action: str) -> Callable[..., Any]:
        """The route that removes (to the trash) or restores a report, for an editor; a rebuild takes seconds, so
        it runs on a worker thread."""

        async def route(request: Request, name: str) -> JSONResponse:
            from index.trash import KEEP_DAYS

            user = editor(request)
            await asyncio.to_thread(apply, lambda: desk.change(name[:MAX_NAME], action, user=user, via="api"))
            removed = action == "remove"
            return JSONResponse({"name": name, "action": "removed" if removed else "restored",
                                 "trash_days": KEEP_DAYS if removed else None})  # fmt: skip

        return route

    described = {"response_model": ReportChanged, "responses": changed}
    router.add_api_route(
        "/reports/{name}", change_route("remove"), methods=["DELETE"], name="remove_report", **described,
        summary="Remove a report to the trash (editors); restorable",
        description="The report and its sidecar go to the trash (kept for days, then purged); the index is "
        "rebuilt without it.",
    )  # fmt: skip
    router.add_api_route(
        "/reports/{name}/restore", change_route("restore"), methods=["POST"], name="restore_report", **described,
        summary="Bring a removed report back from the trash (editors)",
        description="The newest trashed copy of this name comes back; the index is rebuilt with it.",
    )  # fmt: skip

    @router.post(
        "/feedback",
        summary="👍 or 👎 on an answer, with an optional correction",
        response_model=FeedbackEntry,
        responses=errors(
            400,
            401,
            403,
            404,
            405,
            413,
            422,
            429,
            500,
            503,
            507,
            why={
                403: "a request from another machine to a server without a login, or a cross-origin request",
                404: "this server keeps no feedback",
            },
        ),  # fmt: skip
    )
    async def give_feedback(given: FeedbackIn, request: Request) -> JSONResponse:
        """Stored beside the index folder with the index version answering now; an editor reviews it in the 反馈
        tab, where an accepted one becomes a gold question (eval/gold_feedback.jsonl)."""
        if feedback is None:
            raise ApiError(404, "this server keeps no feedback")
        user = staff(request, False, "give feedback")
        try:
            fix = fb.check_correction(*(given.correction.answer, given.correction.passage,
                                        given.correction.source)) if given.correction else None  # fmt: skip
            entry = await asyncio.to_thread(
                lambda: feedback.give(user, question=given.question, answer=given.answer, verdict=given.verdict,
                                      citations=[c.model_dump() for c in given.citations], correction=fix)
            )  # fmt: skip
        except fb.FeedbackFull as exc:
            raise ApiError(507, str(exc)) from None
        except ValueError as exc:
            raise ApiError(422, str(exc)) from None
        return JSONResponse(entry.to_dict())

    router.login = login  # type: ignore[attr-defined]  # the docs routes reuse it
    router.may_upload = may_upload  # type: ignore[attr-defined]  # the gate asks before reading an upload
    return router


def public_line(exc: BaseException) -> str:
    """An error as one line, server paths cut to their last part."""
    from web.view import public

    return public(" ".join(str(exc).split()))


def add_api(app: FastAPI, router: APIRouter) -> None:
    """Mount the routes, the OpenAPI page behind the same login, and JSON error replies."""
    app.include_router(router)
    login = router.login  # type: ignore[attr-defined]

    allowed: dict[Any, set[str]] = {}
    for route in router.routes:
        if hasattr(route, "methods"):
            allowed.setdefault(route.path_regex, set()).update(route.methods)

    # Without this, a wrong path or method under /api falls through to the chat's mount: {"detail": "Not Found"}.
    @app.api_route(
        "/api/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        include_in_schema=False,
        dependencies=[Depends(login)],
    )
    async def elsewhere(request: Request, rest: str) -> None:
        path = request.url.path
        taken = sorted({m for regex, methods in allowed.items() if regex.match(path) for m in methods})
        if taken:
            methods = ", ".join(taken)
            raise ApiError(
                405, f"{request.method} is not allowed on {path}; use {methods}", {"allow": methods}
            )
        raise ApiError(404, f"no route {path}; the routes are listed at /docs")

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(login)])
    def openapi() -> dict[str, Any]:
        return app.openapi()

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(login)])
    def docs() -> HTMLResponse:
        return HTMLResponse(api_page(app.openapi()))

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Field, rule and message only: the rejected value (maybe 10,000 characters) is not echoed back.
        kind = request.headers.get("content-type", "")
        problems = [problem(e, kind) for e in exc.errors()]
        text = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        return JSONResponse({"error": text, "problems": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error in %s", request.url.path, exc_info=exc)
        return JSONResponse({"error": "internal error (details are in the server log)"}, status_code=500)


def problem(error: dict[str, Any], content_type: str = "application/json") -> dict[str, str]:
    """One refused field as {"field", "problem"}; the body as a whole is field "body". A body that is not JSON is
    the body's problem, not field "12" (pydantic puts the parser's character offset where a field name goes)."""
    field = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    kind = error.get("type")
    if kind == "json_invalid":
        where = error.get("loc", ())[-1]
        why = (error.get("ctx") or {}).get("error", "")
        return {"field": "body", "problem": f"the body is not JSON ({why} at character {where})"}
    if field:
        return {"field": field, "problem": error.get("msg", "")}
    if kind == "missing":
        return {"field": "body", "problem": 'the body is empty; send a JSON object: {"question": "…"}'}
    if "json" not in content_type.lower():
        shown = content_type.split(";")[0].strip()[:60] or "none"
        return {
            "field": "body",
            "problem": f"send the body as JSON (Content-Type: application/json, not {shown})",
        }
    return {"field": "body", "problem": 'the body must be a JSON object: {"question": "…"}'}


def api_page(schema: dict[str, Any]) -> str:
    """The API's description as a page of its own, with no script (Swagger's page loads its script from a CDN)."""
    rows = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            summary = html.escape(op.get("summary", ""))
            replies = op.get("responses", {})
            ok = replies.get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
            typed = ok.get("$ref") or ok.get("items", {}).get("$ref") or ""
            shown = html.escape(typed.rsplit("/", 1)[-1] + ("[]" if "items" in ok else ""))
            failed = ", ".join(s for s in replies if s != "200")
            rows.append(
                f"<li><code>{method.upper()} {html.escape(path)}</code> — {summary}: "
                f"200 <code>{shown}</code>; errors {failed} as <code>Error</code></li>"
            )
    fields = schema.get("components", {}).get("schemas", {}).get("Query", {}).get("properties", {})
    items = "".join(
        f"<li><code>{html.escape(name)}</code>: {html.escape(str(f.get('description') or f.get('type') or ''))}</li>"
        for name, f in fields.items()
    )
    return (
        '<!doctype html><html lang="zh"><meta charset="utf-8"><title>工会工作报告问答 API</title>'
        "<body><h1>工会工作报告问答 API</h1><ul>" + "".join(rows) + "</ul>"
        f"<h2>Query</h2><ul>{items}</ul>"
        '<p>The OpenAPI description: <a href="/openapi.json">/openapi.json</a></p></body></html>'
    )
