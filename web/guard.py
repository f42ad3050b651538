"""The web server's gatekeeping: request-body limit, own-origin only, uploads for logged-in staff only,
throttled logins, and optional arguments filled in for raw HTTP calls of Gradio endpoints.

Plain ASGI middleware (no BaseHTTPMiddleware), so Gradio's streamed replies pass through untouched.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# A chat request carries a 500-character question and at most 10 earlier ones: about 35 KB as escaped JSON.
MAX_BODY = 128 * 1024
MAX_UPLOAD_BYTES = 20 * 2**20  # per file; Gradio's upload route and the 报告管理 tab both enforce it
MAX_UPLOAD_FILES = 1  # files per upload request: one report, one set of title/place/date fields
# An over-limit body announced at up to 1 MB is read and dropped before the 413: a client still sending when the
# server closes would get a connection reset instead of the reply (seen with a 200 KB question). Larger ones are
# refused at once, unread.
DRAIN_BYTES = 2**20
# Gradio routes that take files: closed to everyone, except the first two for a logged-in user when the
# 报告管理 tab is on (Gate's `uploads`); the upload then gets UploadLimits instead of MAX_BODY.
UPLOAD_ROUTES = ("/gradio_api/upload", "/gradio_api/upload_progress", "/gradio_api/process_recording")
STAFF_UPLOAD_ROUTES = UPLOAD_ROUTES[:2]
API_UPLOAD_ROUTE = "/api/v1/reports"  # the JSON API's report upload (editors; Gate's `api_uploads`)
UPLOAD_SCOPE_KEY = "qa.upload"  # set in the ASGI scope by Gate for an admitted upload; read by BodyLimit
LOGIN_ROUTES = ("/login", "/login/")
LOGIN_BODY = 16 * 1024  # a login form (user, password) is far smaller; the gate reads it for the user name
LOOPBACK_NAMES = ("localhost",)
READER, EDITOR = "reader", "editor"  # a login's role: an editor may also add, remove and restore reports
ROLES = (READER, EDITOR)


def client_of(scope: Scope) -> str:
    """The client's address (uvicorn has already applied X-Forwarded-For from a trusted proxy)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def send_json(
    send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """A complete JSON response, sent without reading the request."""
    data = json.dumps(body, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": data})


async def read_body(receive: Receive) -> bytes | None:
    """The whole request body; None when the client went away (or BodyLimit cut the body off: it answers)."""
    chunks = []
    while True:
        event = await receive()
        if event["type"] != "http.request":
            return None
        chunks.append(event.get("body", b""))
        if not event.get("more_body"):
            return b"".join(chunks)


async def read_json(receive: Receive) -> tuple[bytes, Any] | None:
    """The whole request body and what it holds as JSON (None when it is not JSON); None when the client went
    away (or BodyLimit cut the body off)."""
    body = await read_body(receive)
    if body is None:
        return None
    try:
        return body, json.loads(body)
    except ValueError:
        return body, None


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that gives an app the body already read, as one event, then whatever comes next."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


@dataclass(frozen=True)
class UploadLimits:
    """What one admitted upload request may carry: files, and bytes per file."""

    files: int
    file_bytes: int
    fields: int = 0  # text parts beside the files (the JSON API's title, place, date)

    @property
    def body_bytes(self) -> int:
        return self.files * self.file_bytes + 64 * 1024  # multipart headers and boundaries


class _PartCounter:
    """Counts multipart delimiters in a streamed body (a delimiter may straddle two chunks)."""

    def __init__(self, content_type: str | None):
        boundary = (content_type or "").partition("boundary=")[2].split(";")[0].strip().strip('"')
        self.marker = b"--" + boundary.encode("latin-1") if boundary else b""
        self.seen = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> int:
        """Parts seen so far (delimiters minus the closing one)."""
        if not self.marker:
            return 0
        data = self._tail + chunk
        self.seen += data.count(self.marker) - self._tail.count(self.marker)
        self._tail = data[-(len(self.marker) - 1) :] if len(self.marker) > 1 else b""
        return max(0, self.seen - 1)


async def _drain(receive: Receive, limit: int) -> None:
    """Read and drop a request body (at most `limit` bytes) so that the client sees the reply."""
    read = 0
    while read <= limit:
        event = await receive()
        if event["type"] != "http.request":
            return
        read += len(event.get("body", b""))
        if not event.get("more_body", False):
            return


class BodyLimit:
    """Refuses a request body over max_bytes with 413: at once when Content-Length says so, else when the
    streamed body passes the limit (the rest is never read). An upload Gate admitted gets `upload`'s
    larger limit instead, is cut off at its first file over the count, and is read whole before the app sees it."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = MAX_BODY,
        upload: UploadLimits | None = None,
        api_upload: UploadLimits | None = None,
    ):
        self.app = app
        self.max_bytes = max_bytes
        self.upload, self.api_upload = upload, api_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        admitted = scope.get(UPLOAD_SCOPE_KEY)
        upload = (self.api_upload if admitted == API_UPLOAD_ROUTE else self.upload) if admitted else None
        max_bytes = upload.body_bytes if upload else self.max_bytes
        message = {"error": f"request body over {max_bytes // 1024} KB; send a shorter question"}
        if upload:
            message = {
                "error": f"an upload may carry {upload.files} file(s) of at most {upload.file_bytes // 2**20} MB"
            }
        parts = _PartCounter(_header(scope, b"content-type")) if upload else None
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                too_big = int(length) > max_bytes
            except ValueError:
                await send_json(send, 400, {"error": f"Content-Length {length[:20]!r} is not a number"})
                return
            if too_big:
                if int(length) <= DRAIN_BYTES:
                    await _drain(receive, DRAIN_BYTES)
                await send_json(send, 413, message, {"connection": "close"})
                return
        if upload:
            await self._upload(scope, receive, send, upload, parts, message)
            return
        state = {"read": 0, "over": False, "started": False}

        async def limited_receive() -> Message:
            if state["over"]:
                return {"type": "http.disconnect"}
            event = await receive()
            if event["type"] == "http.request":
                body = event.get("body", b"")
                state["read"] += len(body)
                if state["read"] > max_bytes:
                    state["over"] = True
                    return {"type": "http.disconnect"}  # the app stops reading; the reply is ours
            return event

        async def guarded_send(event: Message) -> None:
            if state["over"]:
                return
            if event["type"] == "http.response.start":
                state["started"] = True
            await send(event)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await send_json(send, 413, message, {"connection": "close"})

    async def _upload(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        upload: UploadLimits,
        parts: _PartCounter,
        message: dict,
    ) -> None:
        """An admitted upload is read whole (bounded) before Gradio sees it: a refused one never reaches Gradio's
        parser, which leaves its temporary file behind when a body is cut off mid-file."""
        chunks: list[bytes] = []
        read = 0
        while True:
            event = await receive()
            if event["type"] != "http.request":
                return  # the client went away
            body = event.get("body", b"")
            read += len(body)
            if read > upload.body_bytes or parts.feed(body) > upload.files + upload.fields:
                await send_json(send, 413, message, {"connection": "close"})
                return
            chunks.append(body)
            if not event.get("more_body", False):
                break
        await self.app(scope, replaying(b"".join(chunks), receive), send)


class LoginThrottle:
    """Failed logins per client: `free` tries, then a wait that doubles with each failure, up to `cap` seconds.

    Forgets a client `forget` seconds after its last failure; remembers at most `clients` clients.
    """

    def __init__(
        self,
        *,
        free: int = 5,
        base: float = 1.0,
        cap: float = 300.0,
        forget: float = 900.0,
        clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.free, self.base, self.cap, self.forget, self.clients = free, base, cap, forget, clients
        self.clock = clock
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds before this client may try again (0: now)."""
        with self._lock:
            count, last = self._failures.get(client, (0, 0.0))
            now = self.clock()
            if count and now - last > self.forget:
                del self._failures[client]
                return 0.0
            if count < self.free:
                return 0.0
            delay = min(self.cap, self.base * 2 ** (count - self.free))
            return max(0.0, last + delay - now)

    def failed(self, client: str) -> None:
        with self._lock:
            count, _ = self._failures.pop(client, (0, 0.0))
            self._failures[client] = (count + 1, self.clock())
            while len(self._failures) > self.clients:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    def refusal(self, wait: float) -> tuple[int, dict[str, Any], dict[str, str]]:
        """The 429 reply (status, body, headers) for a client that must wait."""
        seconds = max(1, int(wait + 0.999))
        body = {"error": f"too many failed logins for this user from this address; try again in {seconds} s"}
        return 429, body, {"retry-after": str(seconds)}


def host_name(value: str | None) -> str | None:
    """The host name of a Host header or an Origin's netloc, lower-case, without port, brackets or final dot."""
    if not value:
        return None
    try:
        name = urlsplit(f"//{value.strip()}").hostname
    except ValueError:
        return None
    return name.rstrip(".") if name else None


class AllowedHosts:
    """The names the app answers to (the Host header): loopback names and addresses, plus the operator's
    (--allowed-host, the --host bound). A page of another site that a DNS rebinding points at this server
    sends its own name as Host, and is refused."""

    def __init__(self, names: tuple[str, ...] | list[str] = ()):
        self.names = {n for n in (host_name(name) for name in names) if n}

    def allows(self, host: str | None) -> bool:
        name = host_name(host)
        if not name:
            return False
        if name in LOOPBACK_NAMES or name in self.names:
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False

    def refusal(self, host: str | None) -> dict[str, str]:
        shown = (host or "")[:60]
        return {
            "error": f"Host {shown!r} is not served here; open the app by its own address, or start it with "
            "--allowed-host NAME for the name a proxy or the users use"
        }


def throttle_key(user: str | None, client: str) -> str:
    """The login throttle's key: one account from one address (an attacker elsewhere cannot lock a user out)."""
    return f"{(user or '')[:200]}\n{client}"


def login_refusal(
    accounts: dict[str, str], throttle: LoginThrottle, client: str, credentials: tuple[str, str] | None
) -> tuple[int, str, dict[str, str]] | None:
    """None when the HTTP Basic credentials are right (or no accounts are set); else (status, message, headers):
    429 while this account from this address must wait after failed logins, 401 for none or wrong ones."""
    if not accounts:
        return None
    client = throttle_key(credentials[0] if credentials else None, client)
    wait = throttle.wait(client)
    if wait > 0:
        status, body, headers = throttle.refusal(wait)
        return status, body["error"], headers
    challenge = {"www-authenticate": 'Basic realm="qa"'}
    if credentials is None:
        return 401, "login required: HTTP Basic with the chat's user and password", challenge
    expected = accounts.get(credentials[0])
    if expected is None or not secrets.compare_digest(credentials[1].encode(), expected.encode()):
        throttle.failed(client)
        return 401, "wrong user or password", challenge
    throttle.succeeded(client)
    return None


def loopback_client(scope: Scope) -> bool:
    """Whether the request comes from this machine (a loopback address, IPv4-mapped included)."""
    try:
        ip = ipaddress.ip_address(client_of(scope).split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def staff_refusal(
    accounts: dict[str, str],
    roles: dict[str, str],
    throttle: LoginThrottle,
    scope: Scope,
    credentials: tuple[str, str] | None,
    *,
    editor: bool,
    doing: str,
) -> tuple[int, str, dict[str, str]] | None:
    """None when this request may do what changes stored data (`doing`): a login's (an editor's when `editor`),
    or anyone's from this machine when the app has no login; else (status, message, headers) as login_refusal."""
    if not accounts:
        if loopback_client(scope):
            return None
        return (
            403,
            f"this app has no login, so only this machine may {doing}; set APP_AUTH to take it from others",
            {},
        )
    refused = login_refusal(accounts, throttle, client_of(scope), credentials)
    if refused is not None:
        return refused
    user = credentials[0] if credentials else ""
    if editor and roles.get(user, EDITOR) != EDITOR:
        return 403, f"{user[:60]} is a reader; only an editor may {doing}", {}
    return None


def basic_credentials(scope: Scope) -> tuple[str, str] | None:
    """(user, password) from an Authorization: Basic header; None when there is none or it is malformed."""
    header = _header(scope, b"authorization") or ""
    kind, _, token = header.partition(" ")
    if kind.lower() != "basic" or not token.strip():
        return None
    try:
        user, sep, password = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


class Gate:
    """Own origin only, uploads only from logged-in staff (when `uploads` is given), throttled logins, and
    no proxy in front of an app without a login.

    `uploads(scope)` says whether the request carries a valid login; None closes the upload routes to all.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        throttle: LoginThrottle,
        auth_required: bool,
        uploads: Callable[[Scope], bool] | None = None,
        hosts: AllowedHosts | None = None,
        api_uploads: Callable[[Scope], tuple[int, str, dict[str, str]] | None] | None = None,
    ):
        self.app = app
        self.throttle = throttle
        self.auth_required = auth_required
        self.uploads = uploads if auth_required else None  # never without a login
        self.hosts = hosts or AllowedHosts()
        self.api_uploads = api_uploads  # POST /api/v1/reports: None, or why this request may not upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = _header(scope, b"origin")
        host = _header(scope, b"host")
        if scope["type"] == "websocket" and (
            not self.hosts.allows(host) or (origin is not None and not same_origin(origin, host))
        ):
            await send({"type": "websocket.close", "code": 1008})  # before accept: the server answers 403
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.hosts.allows(host):
            await send_json(send, 400, self.hosts.refusal(host), {"connection": "close"})
            return
        path = scope.get("path", "")
        if origin is not None and not same_origin(origin, _header(scope, b"host")):
            await send_json(
                send, 403, {"error": "cross-origin requests are refused; open the app's own page"}
            )
            return
        multipart = (_header(scope, b"content-type") or "").lower().startswith("multipart/")
        if multipart and path == API_UPLOAD_ROUTE and scope.get("method") == "POST" and self.api_uploads:
            refused = self.api_uploads(scope)
            if refused is not None:
                status, message, headers = refused
                await send_json(send, status, {"error": message}, headers)
                return
            scope[UPLOAD_SCOPE_KEY] = API_UPLOAD_ROUTE
        elif path.rstrip("/") in UPLOAD_ROUTES or (multipart and path not in LOGIN_ROUTES):
            if self.uploads is None or path.rstrip("/") not in STAFF_UPLOAD_ROUTES:
                await send_json(send, 403, {"error": "this app accepts no file uploads"})
                return
            if not self.uploads(scope):
                await send_json(
                    send, 401, {"error": "log in as an editor to upload reports (the 报告管理 tab)"}
                )
                return
            scope[UPLOAD_SCOPE_KEY] = True
        if not self.auth_required and (_header(scope, b"x-forwarded-for") or _header(scope, b"forwarded")):
            await send_json(
                send,
                403,
                {
                    "error": "this server has no login; its operator must set APP_AUTH before putting it behind a proxy"
                },
            )
            return
        if path in LOGIN_ROUTES and scope.get("method") == "POST":
            await self._login(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks, read = [], 0
        while True:
            event = await receive()
            if event["type"] != "http.request":
                return
            chunks.append(event.get("body", b""))
            read += len(chunks[-1])
            if read > LOGIN_BODY:
                await send_json(send, 413, {"error": "a login form is a user name and a password"})
                return
            if not event.get("more_body"):
                break
        body = b"".join(chunks)
        user = parse_qs(body.decode("utf-8", "replace")).get("username", [""])[0]
        client = throttle_key(user, client_of(scope))
        wait = self.throttle.wait(client)
        if wait > 0:
            await send_json(send, *self.throttle.refusal(wait))
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(event: Message) -> None:
            if event["type"] == "http.response.start":
                if event["status"] == 200:
                    self.throttle.succeeded(client)
                elif 400 <= event["status"] < 500:
                    self.throttle.failed(client)
            await send(event)

        await self.app(scope, replay, watch)


def same_origin(origin: str, host: str | None) -> bool:
    """Whether a browser's Origin header names the host the request was sent to (scheme aside: a TLS proxy)."""
    if not host:
        return False
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc.lower() == host.lower()


class OptionalArguments:
    """Pads the "data" list of a raw `POST /gradio_api/call/NAME` with None up to the endpoint's arity.

    Gradio refuses a call with fewer values than inputs ({"error": null}); our endpoints treat None as the
    default. Sits inside BodyLimit, so the body it reads is bounded.
    """

    def __init__(self, app: ASGIApp, *, arity: dict[str, int]):
        self.app = app
        self.arity = {f"/gradio_api/call/{name}": n for name, n in arity.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = self.arity.get(scope.get("path", "").rstrip("/")) if scope["type"] == "http" else None
        if wanted is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        read = await read_json(receive)
        if read is None:
            return
        body, payload = read  # a payload that is not JSON goes on as it came: Gradio answers it
        data = payload.get("data") if isinstance(payload, dict) else None
        if isinstance(data, list) and len(data) < wanted:
            payload["data"] = data + [None] * (wanted - len(data))
            body = json.dumps(payload, ensure_ascii=False).encode()
        headers = [(k, v) for k, v in scope.get("headers", ()) if k != b"content-length"]
        scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        await self.app(scope, replaying(body, receive), send)
