"""The MCP tools (qa.mcp_server) over Streamable HTTP at /mcp on the web server, behind the JSON API's login.

The server's Gate (Host/Origin) and BodyLimit wrap /mcp like every route; this module adds the login: with
accounts, HTTP Basic or the chat's session cookie; without, anyone (serve() binds only loopback then).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route

from qa.mcp_server import Tools, build_server
from web.guard import (
    MAX_BODY,
    LoginThrottle,
    Receive,
    Scope,
    Send,
    basic_credentials,
    client_of,
    login_refusal,
    send_json,
)

PATH = "/mcp"


class McpLogin:
    """Admits a request with the chat's session cookie or right HTTP Basic credentials (throttled like the
    JSON API); everything when there are no accounts."""

    def __init__(
        self,
        app: Any,
        *,
        accounts: dict[str, str],
        throttle: LoginThrottle,
        cookie: Callable[[Scope], bool] | None,
    ):
        self.app, self.accounts, self.throttle, self.cookie = app, accounts, throttle, cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.accounts and not (self.cookie is not None and self.cookie(scope)):
            refused = login_refusal(self.accounts, self.throttle, client_of(scope), basic_credentials(scope))
            if refused is not None:
                status, message, headers = refused
                await send_json(send, status, {"error": message}, headers)
                return
        await self.app(scope, receive, send)


def add_mcp(
    server: FastAPI,
    service: Any,
    *,
    auth: list[tuple[str, str]] | None,
    throttle: LoginThrottle,
    cookie: Callable[[Scope], bool] | None = None,
    max_body: int = MAX_BODY,
) -> None:
    """Serve the tools over the ChatService's current assistant at /mcp (before the chat's mount at /), and run
    the MCP session manager for as long as the server runs."""
    tools = Tools(lambda: service.assistant, run=service.on_worker, load_error=service.load_error)
    mcp = build_server(tools)
    # Host and Origin are the Gate's job, for every route alike; the SDK's own check would refuse any Host
    # but 127.0.0.1/localhost, i.e. every request through a proxy.
    mcp.streamable_http_app(
        streamable_http_path=PATH,
        stateless_http=True,
        json_response=True,
        max_request_body_size=max_body,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    endpoint = McpLogin(
        StreamableHTTPASGIApp(mcp.session_manager),
        accounts=dict(auth or []),
        throttle=throttle,
        cookie=cookie,
    )
    server.router.routes.insert(0, Route(PATH, endpoint=endpoint))
    previous = server.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        async with mcp.session_manager.run(), previous(app) as state:
            yield state

    server.router.lifespan_context = lifespan
