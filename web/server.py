"""The web server: one FastAPI app with the JSON API, the MCP tools at /mcp, the Gradio chat mounted at /, and
the gatekeeping middleware, served by uvicorn in a background thread on a socket bound here (so ::1 and port
errors are clean).
"""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI
from gradio.routes import App as GradioApp
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import cookie_parser
from starlette.routing import Mount

from web.api import add_api, api_router
from web.connections import IDLE_TIMEOUT, guarded_protocol
from web.guard import (
    MAX_BODY,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    AllowedHosts,
    BodyLimit,
    Gate,
    LoginThrottle,
    OptionalArguments,
    Scope,
    UploadLimits,
    host_name,
)
from web.uploads import FileGuard, UploadLedger
from web.view import CSS, VIEW_JS

# Conversations kept (each Gradio session, even a one-off API call, holds a copy of the page config, ~20 KB);
# the oldest beyond this are dropped, which bounds the server's memory (eval/bench/serve_memory.py).
SESSIONS = 500
WILDCARDS = ("0.0.0.0", "::", "")  # binding these, the app's own name must be given (--allowed-host)
MAX_CONNECTIONS = 256  # open connections (each chat tab holds one); uvicorn answers 503 beyond


@dataclass(frozen=True)
class WebApp:
    """What build_app makes: the Gradio page and, for serve(), the chat service behind both APIs, the limits,
    the 报告管理 desk (None without that tab) and how many arguments each Gradio endpoint takes."""

    blocks: gr.Blocks
    service: Any
    concurrency: int
    queue_size: int
    desk: Any | None = None
    arity: dict[str, int] = field(default_factory=dict)
    feedback: Any | None = None  # web.feedback.FeedbackDesk


def create_server_app(
    web_app: WebApp,
    *,
    auth: list[tuple[str, str]] | None = None,
    throttle: LoginThrottle | None = None,
    max_body: int = MAX_BODY,
    allowed_hosts: tuple[str, ...] | list[str] = (),
) -> FastAPI:
    """One FastAPI app: the JSON API and its OpenAPI page, the chat mounted at /, the gatekeeping middleware.

    allowed_hosts: names the app answers to besides the loopback ones (AllowedHosts)."""
    throttle = throttle or LoginThrottle()
    demo, desk = web_app.blocks, web_app.desk
    server = FastAPI(
        title="工会工作报告问答 API",
        version="1",
        description="Answers and passages from the trade-union work reports; the chat is at /.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by add_api behind the login
    )
    router = api_router(
        web_app.service,
        auth=auth,
        throttle=throttle,
        concurrency=web_app.concurrency,
        waiting=web_app.queue_size,
        desk=desk,
        feedback=web_app.feedback,
    )
    add_api(server, router)
    roles = dict(getattr(auth, "roles", None) or {})  # web.app.Accounts; plain pairs: all editors
    if web_app.feedback is not None:
        web_app.feedback.roles, web_app.feedback.login_required = roles, bool(auth)
    upload = UploadLimits(MAX_UPLOAD_FILES, MAX_UPLOAD_BYTES) if desk is not None else None
    demo.state_session_capacity = SESSIONS
    gr.mount_gradio_app(
        server,
        demo,
        path="/",
        auth=auth or None,
        auth_message="请登录" if auth else None,
        show_error=False,
        enable_monitoring=False,
        allowed_paths=None,
        # Uploads reach Gradio only from logged-in staff with the 报告管理 tab (Gate); else this bounds them
        # should the routes ever open.
        max_file_size=upload.file_bytes if upload else "16kb",
        footer_links=["api"],
        run_history=False,
        mcp_server=False,
        ssr_mode=False,
        css=CSS,
        js=VIEW_JS,
    )
    gradio_app = next(r.app for r in server.routes if isinstance(r, Mount) and isinstance(r.app, GradioApp))
    if importlib.util.find_spec("mcp") is not None:  # the [mcp] extra
        from web.mcp import add_mcp

        add_mcp(
            server,
            web_app.service,
            auth=auth,
            throttle=throttle,
            cookie=gradio_login(gradio_app),
            max_body=max_body,
        )
    ledger = desk.ledger if desk is not None else UploadLedger()
    ledger.attach(gradio_app)
    if desk is not None:
        desk.roles = roles
    # Outermost last: the gate sees a request first, then the body limit (which gives an upload the gate
    # admitted its larger bound), then the rest. A CORSMiddleware on the parent app also stops Gradio's own
    # CORS layer, which echoes any origin for non-localhost hosts.
    server.add_middleware(CORSMiddleware, allow_origins=[])
    server.add_middleware(OptionalArguments, arity=web_app.arity)
    server.add_middleware(FileGuard, ledger=ledger)
    api_upload = UploadLimits(MAX_UPLOAD_FILES, MAX_UPLOAD_BYTES, fields=3) if desk is not None else None
    server.add_middleware(BodyLimit, max_bytes=max_body, upload=upload, api_upload=api_upload)
    server.add_middleware(
        Gate,
        throttle=throttle,
        auth_required=bool(auth),
        uploads=gradio_login(gradio_app, desk.may_edit) if upload else None,
        hosts=AllowedHosts(allowed_hosts),
        api_uploads=router.may_upload if desk is not None else None,  # type: ignore[attr-defined]
    )
    return server


def gradio_login(
    gradio_app: GradioApp, may: Callable[[str], bool] = lambda user: True
) -> Callable[[Scope], bool]:
    """Whether a request carries a valid login cookie of this Gradio app (set by its /login) of a user `may`
    allows (the editors, for uploads)."""

    def logged_in(scope: Scope) -> bool:
        cookies = cookie_parser(_cookie_header(scope))
        names = (f"access-token-{gradio_app.cookie_id}", f"access-token-unsecure-{gradio_app.cookie_id}")
        users = [gradio_app.tokens.get(cookies.get(n)) for n in names if cookies.get(n)]
        return any(user is not None and may(user) for user in users)

    return logged_in


def _cookie_header(scope: Scope) -> str:
    return "; ".join(v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"cookie")


class Server:
    """The app served by uvicorn in a background thread; `url`, then `close()` (or `wait()` to block)."""

    def __init__(self, web_app: WebApp, app: FastAPI, sock: socket.socket, *, behind_proxy: bool = False):
        self.web_app, self.demo, self.sock = web_app, web_app.blocks, sock
        host, port = sock.getsockname()[:2]
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            limit_concurrency=MAX_CONNECTIONS,
            http=guarded_protocol(),  # headers within 10 s, at most 64 connections an address
            timeout_keep_alive=IDLE_TIMEOUT,
            timeout_graceful_shutdown=3,
            server_header=False,
            # X-Forwarded-For names the client only when a proxy on this machine sets it (--behind-proxy);
            # otherwise any local process could pick the address the login throttle counts.
            proxy_headers=behind_proxy,
            forwarded_allow_ips="127.0.0.1,::1" if behind_proxy else "",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True
        )

    def start(self, timeout: float = 60) -> Server:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.close()
                raise OSError(f"the web server did not start within {timeout:.0f} s (see the log above)")
            time.sleep(0.02)
        return self

    def wait(self) -> None:
        """Block until the server stops; Ctrl-C (or SIGTERM from main) stops it cleanly."""
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.close()

    def close(self) -> None:
        self.demo.close(
            verbose=False
        )  # first: ends Gradio's event streams, so the shutdown does not wait on them
        self.web_app.service.close()
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.sock.close()


def bind(host: str, port: int | None) -> socket.socket:
    """A listening socket on host:port (port 0 or None: any free port); IPv4 first for names like localhost."""
    infos = socket.getaddrinfo(host.strip("[]"), port or 0, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, _, _, address = sorted(infos, key=lambda i: i[0] != socket.AF_INET)[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    web_app: WebApp,
    *,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    auth: list[tuple[str, str]] | None = None,
    throttle: LoginThrottle | None = None,
    max_body: int = MAX_BODY,
    allowed_hosts: tuple[str, ...] | list[str] = (),
    behind_proxy: bool = False,
) -> Server:
    """Serve the chat and the JSON API with the house security settings; returns the running Server.

    The app answers to loopback names, `host` itself and `allowed_hosts`; `behind_proxy` trusts X-Forwarded-For
    from a proxy on this machine."""
    names = [*allowed_hosts, *([host] if host_name(host) not in WILDCARDS else [])]
    app = create_server_app(web_app, auth=auth, throttle=throttle, max_body=max_body, allowed_hosts=names)
    return Server(web_app, app, bind(host, port), behind_proxy=behind_proxy).start()
