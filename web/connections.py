"""Connection limits below HTTP: a request's headers must arrive within HEADER_TIMEOUT seconds, and one address
may hold at most PER_ADDRESS connections, so half-open connections cannot starve everyone (uvicorn has neither;
260 connections that never finished their headers made every request get 503 for 45 s)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds from a connection (or a request's first byte) to its complete headers
IDLE_TIMEOUT = 5  # seconds a kept-alive connection may wait for its next request (uvicorn's keep-alive)
PER_ADDRESS = 64  # open connections one client address may hold (a browser opens 6 per host)


def guarded_protocol(*, header_timeout: float = HEADER_TIMEOUT, per_address: int = PER_ADDRESS) -> type:
    """An H11Protocol class with a header timeout and a per-address cap; one class (one count) per server."""
    open_by_address: Counter[str] = Counter()

    class GuardedH11Protocol(H11Protocol):
        _address: str | None = None
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            address = self.client[0] if self.client else "unknown"
            if open_by_address[address] >= per_address:
                transport.abort()  # connection_lost follows; nothing was counted for it
                return
            open_by_address[address] += 1
            self._address = address
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self._arm()  # a request begun: its headers are due within the timeout
            else:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._address is not None:
                open_by_address[self._address] -= 1
                if open_by_address[self._address] <= 0:
                    del open_by_address[self._address]
                self._address = None
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._disarm()  # between requests uvicorn's keep-alive timeout (IDLE_TIMEOUT) applies

        def handle_websocket_upgrade(self, event: h11.Request) -> None:
            self._disarm()
            super().handle_websocket_upgrade(event)

        def _arm(self) -> None:
            if self._header_timer is None:
                self._header_timer = self.loop.call_later(header_timeout, self._headers_late)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    GuardedH11Protocol.open_by_address = open_by_address  # type: ignore[attr-defined]
    return GuardedH11Protocol
