"""Which uploaded files each login may name: the upload ledger, and the middleware that records each upload and
refuses any other file path a client names (in an event's data, or a /file= URL) before Gradio reads it.

Gradio's own check is skipped under mount_gradio_app (its `has_launched` stays false) and runs after the file is
copied into its cache, so a logged-in user could name /etc/passwd as an upload: this is the check instead.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from starlette.requests import cookie_parser

from web.guard import ASGIApp, Message, Receive, Scope, Send, _header, read_json, replaying, send_json

UPLOAD_ROUTE = "/gradio_api/upload"
FILE_ROUTE_PREFIXES = ("/gradio_api/file=", "/file=")
PER_LOGIN = 64  # uploads remembered per login (one report at a time; the oldest beyond are forgotten)
LOGINS = 1_000  # logins remembered


class UploadLedger:
    """The paths Gradio stored for the uploads of each login (its session token) in this server's run."""

    def __init__(
        self, upload_dir: str | Path | None = None, *, per_login: int = PER_LOGIN, logins: int = LOGINS
    ):
        self.upload_dir = Path(upload_dir).resolve() if upload_dir else None
        self.per_login, self.logins = per_login, logins
        self._cookie_names: tuple[str, ...] = ()
        self._tokens: dict[str, str] = {}
        self._fns: dict[int, Any] = {}
        self._paths: OrderedDict[str, OrderedDict[Path, None]] = OrderedDict()
        self._lock = threading.Lock()

    def attach(self, gradio_app: Any) -> None:
        """Follow a mounted Gradio app: its upload folder, login cookies and session tokens."""
        self.upload_dir = Path(gradio_app.uploaded_file_dir).resolve()
        cookie_id = gradio_app.cookie_id
        self._cookie_names = (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}")
        self._tokens = gradio_app.tokens  # Gradio's own dict: token -> user, filled by /login
        self._fns = gradio_app.get_blocks().fns  # the page's events by id: what an fn_index may name

    def login(self, cookie_header: str | None) -> str | None:
        """The session token of a valid login named by a Cookie header, else None."""
        cookies = cookie_parser(cookie_header or "")
        for name in self._cookie_names:
            token = cookies.get(name)
            if token and token in self._tokens:
                return token
        return None

    def known_event(self, fn_index: Any) -> bool:
        """Whether fn_index names one of the page's events (Gradio answers any other with a 500 and a traceback)."""
        return isinstance(fn_index, int) and not isinstance(fn_index, bool) and fn_index in self._fns

    def user(self, token: str | None) -> str | None:
        """The account a session token belongs to."""
        return self._tokens.get(token) if token else None

    def _inside(self, path: str | Path) -> Path | None:
        """The resolved path when it lies inside the upload folder (not the folder itself), else None."""
        if self.upload_dir is None:
            return None
        try:
            resolved = Path(path).resolve()
        except (OSError, ValueError, RuntimeError):
            return None
        if resolved == self.upload_dir or not resolved.is_relative_to(self.upload_dir):
            return None
        return resolved

    def record(self, token: str, path: str | Path) -> None:
        """Remember that this login uploaded path (as Gradio stored it)."""
        resolved = self._inside(path)
        if resolved is None:
            return
        with self._lock:
            paths = self._paths.pop(token, None) or OrderedDict()
            paths[resolved] = None
            while len(paths) > self.per_login:
                paths.popitem(last=False)
            self._paths[token] = paths
            while len(self._paths) > self.logins:
                self._paths.popitem(last=False)

    def owns(self, token: str | None, path: Any) -> bool:
        """Whether path is, once resolved, a file inside the upload folder that this login uploaded."""
        if not token or not isinstance(path, str | Path) or not str(path):
            return False
        resolved = self._inside(path)
        if resolved is None:
            return False
        with self._lock:
            return resolved in self._paths.get(token, {})

    def forget(self, path: str | Path) -> None:
        """Drop a used (deleted) upload from every login."""
        resolved = self._inside(path)
        with self._lock:
            for paths in self._paths.values():
                paths.pop(resolved, None)


def named_files(value: Any) -> Iterator[Any]:
    """Every file path a JSON value names the way Gradio reads one: the "path" of a dict (FileData or not)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "path" in item or (isinstance(item.get("meta"), dict) and item["meta"].get("_type")):
                yield item.get("path")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class FileGuard:
    """Records what each login uploads; refuses (403) a request naming any other file before the app sees it.

    Sits inside BodyLimit (the bodies it reads are bounded) and inside Gate (uploads come from logged-in staff).
    """

    def __init__(self, app: ASGIApp, *, ledger: UploadLedger):
        self.app = app
        self.ledger = ledger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        token = self.ledger.login(_header(scope, b"cookie"))
        if path.rstrip("/") == UPLOAD_ROUTE and scope.get("method") == "POST":
            await self._upload(scope, receive, send, token)
            return
        for prefix in FILE_ROUTE_PREFIXES:
            if path.startswith(prefix):
                named = unquote(path[len(prefix) :])
                if self.ledger._inside(named) is not None and not self.ledger.owns(token, named):
                    await send_json(send, 403, {"error": "this file is not one of your uploads"})
                    return
        content_type = (_header(scope, b"content-type") or "").lower()
        if scope.get("method") != "POST" or content_type.startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        read = await read_json(receive)
        if read is None:
            return
        body, payload = read  # a payload that is not JSON names no file Gradio would read
        if (
            isinstance(payload, dict)
            and "fn_index" in payload
            and not self.ledger.known_event(payload["fn_index"])
        ):
            shown = repr(payload["fn_index"])[:20]
            await send_json(
                send, 400, {"error": f"fn_index={shown} is not an event of this page; see /config"}
            )
            return
        if any(not self.ledger.owns(token, named) for named in named_files(payload)):
            await send_json(
                send,
                403,
                {"error": "a file named in this request is not one of your uploads; upload it first"},
            )
            return
        await self.app(scope, replaying(body, receive), send)

    async def _upload(self, scope: Scope, receive: Receive, send: Send, token: str | None) -> None:
        """Pass the upload on and record the paths Gradio answers with for this login."""
        state: dict[str, Any] = {"status": None, "body": []}

        async def watch(event: Message) -> None:
            if event["type"] == "http.response.start":
                state["status"] = event["status"]
            elif event["type"] == "http.response.body" and state["status"] == 200:
                state["body"].append(event.get("body", b""))
                if not event.get("more_body") and token:
                    try:
                        stored = json.loads(b"".join(state["body"]))
                    except ValueError:
                        stored = []
                    for item in stored if isinstance(stored, list) else []:
                        if isinstance(item, str):
                            self.ledger.record(token, item)
            await send(event)

        await self.app(scope, receive, watch)
