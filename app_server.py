"""The web server: one FastAPI app with the JSON API, the Gradio chat mounted at /, and the gatekeeping
middleware, served by uvicorn in a background thread on a socket bound here (so ::1 and port errors are clean).
"""

from __future__ import annotations

import socket
import threading
import time

import gradio as gr
import uvicorn
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app_api import add_api, api_router
from app_guard import MAX_BODY, BodyLimit, Gate, LoginThrottle, OptionalArguments
from app_view import CSS

# Conversations kept (each Gradio session, even a one-off API call, holds a copy of the page config, ~20 KB);
# the oldest beyond this are dropped, which bounds the server's memory (eval/serve_memory.py).
SESSIONS = 500
MAX_CONNECTIONS = 256  # open connections (each chat tab holds one); uvicorn answers 503 beyond


def create_server_app(
    demo: gr.Blocks,
    *,
    auth: list[tuple[str, str]] | None = None,
    throttle: LoginThrottle | None = None,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """One FastAPI app: the JSON API and its OpenAPI page, the chat mounted at /, the gatekeeping middleware."""
    throttle = throttle or LoginThrottle()
    concurrency, queue_size = demo.qa_limits
    server = FastAPI(
        title="工会工作报告问答 API",
        version="1",
        description="Answers and passages from the trade-union work reports; the chat is at /.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by add_api behind the login
    )
    router = api_router(
        demo.qa_service, auth=auth, throttle=throttle, concurrency=concurrency, waiting=queue_size
    )
    add_api(server, router)
    # Outermost last: the body limit sees a request first, then the gate, then the rest. A CORSMiddleware on the
    # parent app also stops Gradio's own CORS layer, which echoes any origin for non-localhost hosts.
    server.add_middleware(CORSMiddleware, allow_origins=[])
    server.add_middleware(OptionalArguments, arity=demo.qa_arity)
    server.add_middleware(Gate, throttle=throttle, auth_required=bool(auth))
    server.add_middleware(BodyLimit, max_bytes=max_body)
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
        max_file_size="16kb",  # the upload routes are closed by Gate; this bounds them should one open
        footer_links=["api"],
        run_history=False,
        mcp_server=False,
        ssr_mode=False,
        css=CSS,
    )
    return server


class Server:
    """The app served by uvicorn in a background thread; `url`, then `close()` (or `wait()` to block)."""

    def __init__(self, demo: gr.Blocks, app: FastAPI, sock: socket.socket):
        self.demo, self.sock = demo, sock
        host, port = sock.getsockname()[:2]
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            limit_concurrency=MAX_CONNECTIONS,
            timeout_graceful_shutdown=3,
            server_header=False,
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
        self.demo.qa_service.close()
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
    demo: gr.Blocks,
    *,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    auth: list[tuple[str, str]] | None = None,
    throttle: LoginThrottle | None = None,
    max_body: int = MAX_BODY,
) -> Server:
    """Serve the chat and the JSON API with the house security settings; returns the running Server."""
    app = create_server_app(demo, auth=auth, throttle=throttle, max_body=max_body)
    return Server(demo, app, bind(host, port)).start()
