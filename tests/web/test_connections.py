"""Half-open connections cannot starve others (real server, real sockets): one address holds at most 64, a
request's headers are due within 10 s, and a real request from elsewhere is answered while 300 are held."""

from __future__ import annotations

import socket
import time

import httpx

from web.connections import HEADER_TIMEOUT, PER_ADDRESS

QUESTION = "南平工会组建率是多少"


def _half_open(url: str, count: int) -> list[socket.socket]:
    host, port = url.rstrip("/").removeprefix("http://").rsplit(":", 1)
    held = []
    for _ in range(count):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never the blank line that ends the headers
        held.append(s)
    return held


def _closed(s: socket.socket) -> bool:
    s.settimeout(0.05)
    try:
        return s.recv(1) == b""
    except (TimeoutError, BlockingIOError):
        return False
    except OSError:
        return True


def test_three_hundred_half_open_connections_do_not_starve_a_real_request(assistant, serve_app):
    url = serve_app(assistant)
    held = _half_open(url, 300)
    try:
        time.sleep(0.5)
        open_ = [s for s in held if not _closed(s)]
        assert len(open_) <= PER_ADDRESS, len(open_)
        other = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(timeout=10, transport=other) as http:
            started = time.perf_counter()
            reply = http.post(f"{url}api/v1/ask", json={"question": QUESTION})
            assert reply.status_code == 200 and reply.json()["answer"] == "95%以上"
            assert time.perf_counter() - started < 5
        # The held ones are closed once their headers are late; then this address is served again.
        time.sleep(HEADER_TIMEOUT + 1)
        assert all(_closed(s) for s in open_)
        with httpx.Client(timeout=10) as http:
            assert http.get(f"{url}api/v1/reports").status_code == 200
    finally:
        for s in held:
            s.close()
