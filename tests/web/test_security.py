"""The served app as an attacker meets it: uploads, other origins, password guessing, huge bodies, ::1, proxies."""

from __future__ import annotations

import json
import os
import re
import select
import socket
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

import web.app as app
from web.guard import MAX_BODY, LoginThrottle

QUESTION = "南平工会组建率是多少"
EVIL = "http://evil.example"


def gradio_temp_dir() -> Path:
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.exists() else set()


def test_an_anonymous_upload_is_refused_and_nothing_is_stored(app_url):
    before = files_under(gradio_temp_dir())
    with httpx.Client(timeout=10) as http:
        for route in ("gradio_api/upload", "gradio_api/upload?upload_id=x", "gradio_api/process_recording"):
            reply = http.post(f"{app_url}{route}", files={"files": ("a.txt", b"x" * 1000, "text/plain")})
            assert reply.status_code == 403, (route, reply.text)
            assert "upload" in reply.json()["error"]
        # Multipart bodies are refused on every route, not only the known upload routes.
        reply = http.post(f"{app_url}gradio_api/queue/join", files={"files": ("a.txt", b"x", "text/plain")})
        assert reply.status_code == 403
        assert http.get(f"{app_url}gradio_api/upload_progress?upload_id=x").status_code == 403
    assert files_under(gradio_temp_dir()) == before


def test_only_the_apps_own_origin_is_served(app_url):
    own = app_url.rstrip("/")
    with httpx.Client(timeout=10) as http:
        for origin in (EVIL, "null", "http://127.0.0.1:1"):
            call = http.post(
                f"{app_url}gradio_api/call/ask", json={"data": [QUESTION]}, headers={"Origin": origin}
            )
            assert call.status_code == 403 and "access-control-allow-origin" not in call.headers
            api = http.post(f"{app_url}api/v1/ask", json={"question": QUESTION}, headers={"Origin": origin})
            assert api.status_code == 403
            preflight = http.options(
                f"{app_url}api/v1/ask",
                headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            )
            assert "access-control-allow-origin" not in preflight.headers
        assert http.post(
            f"{app_url}api/v1/ask", json={"question": QUESTION}, headers={"Origin": own}
        ).is_success
        assert http.get(f"{app_url}config", headers={"Origin": own}).is_success


def test_twenty_wrong_passwords_are_throttled_per_client(assistant, serve_app):
    url = serve_app(assistant, auth=[("ann", "s3cret")], throttle=LoginThrottle(free=5, base=30))
    wrong = {"username": "ann", "password": "guess"}
    with httpx.Client(timeout=10) as http:
        chat = [http.post(f"{url}login", data=wrong) for _ in range(20)]
        api = [
            http.post(f"{url}api/v1/ask", json={"question": QUESTION}, auth=("ann", "guess"))
            for _ in range(5)
        ]
        right_now = http.post(f"{url}login", data={"username": "ann", "password": "s3cret"})
    assert [r.status_code for r in chat[:5]] == [400] * 5
    assert {r.status_code for r in chat[5:]} == {429}
    assert int(chat[-1].headers["retry-after"]) >= 1 and "try again" in chat[-1].json()["error"]
    # The JSON API's Basic login shares the count; even the right password waits out the lock.
    assert {r.status_code for r in api} == {429} and right_now.status_code == 429
    # Another client is not locked out by this one.
    other = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(timeout=10, transport=other) as http:
        assert http.post(f"{url}login", data={"username": "ann", "password": "s3cret"}).status_code == 200
        ask = http.post(f"{url}api/v1/ask", json={"question": QUESTION}, auth=("ann", "s3cret"))
        assert ask.status_code == 200 and "95%以上" in ask.json()["answer"]


def test_the_throttle_doubles_the_wait_and_forgets():
    now = [0.0]
    throttle = LoginThrottle(free=3, base=1, cap=8, forget=100, clients=2, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait("a") == 0
        throttle.failed("a")
    assert throttle.wait("a") == 1
    now[0] = 1.0
    throttle.failed("a")
    assert throttle.wait("a") == 2
    for _ in range(10):
        throttle.failed("a")
    assert throttle.wait("a") == 8  # capped
    now[0] = 200.0
    assert throttle.wait("a") == 0  # forgotten
    for client in ("a", "b", "c"):
        throttle.failed(client)
    assert len(throttle._failures) == 2  # bounded memory


def _http_status(data: bytes) -> int:
    return int(data.split(b" ", 2)[1])


def _rest_of_reply(sock: socket.socket, reply: bytes) -> bytes:
    """Read until the reply's announced body is in: under load it can come in a later packet."""
    while True:
        head, blank, body = reply.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if blank and (length is None or len(body) >= int(length.group(1))):
            break
        try:
            more = sock.recv(4096)
        except OSError:
            break
        if not more:
            break
        reply += more
    return reply


def test_a_ten_megabyte_request_is_refused_before_it_is_read(app_url):
    host, port = app_url.split("//")[1].rstrip("/").rsplit(":", 1)
    ten_mb = 10 * 1024 * 1024
    head = (
        f"POST /api/v1/ask HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {ten_mb}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head + b'{"question": "')  # announced, not sent: the answer comes at once
        status = _http_status(sock.recv(4096))
    assert status == 413

    # Without a Content-Length (chunked), the server stops reading soon after the limit.
    head = (
        f"POST /gradio_api/call/ask HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"a" * 64 * 1024)
    sent, reply = 0, b""
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        while sent < ten_mb and not reply:
            try:
                sock.sendall(chunk)
            except OSError:  # the server closed the connection after its answer
                break
            sent += 64 * 1024
            if select.select([sock], [], [], 0)[0]:
                reply = sock.recv(4096)
        reply = _rest_of_reply(sock, reply)
    assert _http_status(reply) == 413 and b"KB" in reply
    assert sent < ten_mb // 2, f"sent {sent} bytes before the refusal"
    assert MAX_BODY < ten_mb


def test_a_request_via_a_proxy_is_refused_when_the_app_has_no_login(app_url):
    with httpx.Client(timeout=10) as http:
        reply = http.get(app_url, headers={"X-Forwarded-For": "203.0.113.7"})
    assert reply.status_code == 403 and "APP_AUTH" in reply.json()["error"]


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
@pytest.mark.parametrize("host", ["::1", "[::1]", "0:0:0:0:0:0:0:1"])
def test_the_ipv6_loopback_serves_the_chat_and_the_api(assistant, serve_app, host):
    url = serve_app(assistant, host=host)
    assert url.startswith("http://[::1]:")
    client = Client(url, verbose=False)
    assert "95%以上" in client.predict(QUESTION, api_name="/ask")["answer"]
    client.close()
    with httpx.Client(timeout=10) as http:
        assert http.post(f"{url}api/v1/ask", json={"question": QUESTION}).json()["answer"] == "95%以上"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.2"])
def test_other_loopback_forms_serve(assistant, serve_app, host):
    url = serve_app(assistant, host=host)
    assert url.startswith("http://127.0.0.")
    with httpx.Client(timeout=10) as http:
        assert http.get(f"{url}api/v1/reports").status_code == 200


def _raw_call(url: str, data: list) -> tuple[str, object]:
    """A Gradio endpoint over plain HTTP, as its docs show for curl: POST, then read the event stream."""
    with httpx.Client(timeout=30) as http:
        event_id = http.post(f"{url}gradio_api/call/ask", json={"data": data}).json()["event_id"]
        text = http.get(f"{url}gradio_api/call/ask/{event_id}").text
    event = text.split("event: ", 1)[1].split("\n", 1)[0]
    payload = json.loads(text.split("data: ", 1)[1].split("\n", 1)[0])
    return event, payload


def test_raw_http_calls_may_omit_options_and_get_clear_errors_for_bad_k(app_url):
    event, payload = _raw_call(app_url, [QUESTION])
    assert event == "complete" and payload[0]["answer"] == "95%以上"
    for k in ("nan", "inf", 10**400, "1e400", -1):
        event, payload = _raw_call(app_url, [QUESTION, k])
        assert event == "complete" and "1 到 10" in payload[0]["error"], (k, payload)
        assert len(payload[0]["error"]) < 80


def test_binding_a_taken_port_is_a_clean_error(assistant):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        started = time.perf_counter()
        with pytest.raises(OSError):
            app.serve(app.build_app(assistant), host="127.0.0.1", port=port)
    assert time.perf_counter() - started < 10
