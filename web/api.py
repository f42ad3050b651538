"""The JSON HTTP API (/api/v1/ask, /api/v1/search, /api/v1/reports) and its OpenAPI page, for other tools.

Same answers as the chat, bounded input (pydantic), JSON errors: 422 bad input, 401/429 login, 503 busy.
"""

import asyncio
import html
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.validate import K_MAX, MAX_NAME_CHARS, MAX_QUESTION_CHARS
from web.api_models import Answer, Hits, Report, errors
from web.guard import LoginThrottle, client_of, login_refusal

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
) -> APIRouter:
    """The /api/v1 routes over a ChatService (app.py), behind HTTP Basic with the chat's accounts when auth."""
    busy = Busy(service.workers, concurrency, waiting)
    basic = HTTPBasic(auto_error=False, description="the chat's user and password (APP_AUTH)")
    accounts = dict(auth or [])

    def login(request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)]) -> None:
        given = (credentials.username, credentials.password) if credentials is not None else None
        refused = login_refusal(accounts, throttle, client_of(request.scope), given)
        if refused is not None:
            raise ApiError(*refused)

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

    router.login = login  # type: ignore[attr-defined]  # the docs routes reuse it
    return router


def add_api(app: FastAPI, router: APIRouter) -> None:
    """Mount the routes, the OpenAPI page behind the same login, and JSON error replies."""
    app.include_router(router)
    login = router.login  # type: ignore[attr-defined]

    allowed = {route.path: sorted(route.methods) for route in router.routes if hasattr(route, "methods")}

    # Without this, a wrong path or method under /api falls through to the chat's mount: {"detail": "Not Found"}.
    @app.api_route(
        "/api/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        include_in_schema=False,
        dependencies=[Depends(login)],
    )
    async def elsewhere(request: Request, rest: str) -> None:
        path = request.url.path
        if path in allowed:
            methods = ", ".join(allowed[path])
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
