"""Allowed hosts and the login throttle against a real server: another site's name (DNS rebinding) is refused,
X-Forwarded-For counts only behind a proxy the operator declared, and the throttle keys on account and address."""

from __future__ import annotations

import time

import httpx

from web.guard import AllowedHosts, LoginThrottle

QUESTION = "南平工会组建率是多少"


def _port(url: str) -> str:
    return url.rstrip("/").rsplit(":", 1)[1]


def test_only_loopback_names_and_the_allowed_ones_are_served(assistant, serve_app):
    url = serve_app(assistant, allowed_hosts=["qa.example.org"])
    port = _port(url)
    with httpx.Client(timeout=30) as http:
        for host in ("evil.example", f"evil.example:{port}", "qa.example.org.evil.example", "", "10.0.0.8"):
            for path, method in (
                ("", "GET"),
                ("config", "GET"),
                ("api/v1/reports", "GET"),
                ("api/v1/ask", "POST"),
            ):
                reply = http.request(
                    method, f"{url}{path}", headers={"Host": host}, json={"question": QUESTION}
                )
                assert reply.status_code == 400, (host, path, reply.status_code)
                assert "--allowed-host" in reply.json()["error"]
        # A page of evil.example rebound to this address sends its own name as Host and as Origin.
        rebound = http.post(f"{url}api/v1/ask", json={"question": QUESTION},
                            headers={"Host": "evil.example", "Origin": "http://evil.example"})  # fmt: skip
        assert rebound.status_code == 400
        for host in (
            f"127.0.0.1:{port}",
            f"localhost:{port}",
            f"[::1]:{port}",
            "qa.example.org",
            "QA.example.org.",
        ):
            reply = http.post(f"{url}api/v1/ask", json={"question": QUESTION}, headers={"Host": host})
            assert reply.status_code == 200 and reply.json()["answer"] == "95%以上", host
        origin = {"Host": "qa.example.org", "Origin": "https://qa.example.org"}
        assert http.post(f"{url}api/v1/ask", json={"question": QUESTION}, headers=origin).status_code == 200
        other = {"Host": "qa.example.org", "Origin": "https://evil.example"}
        assert http.post(f"{url}api/v1/ask", json={"question": QUESTION}, headers=other).status_code == 403
    hosts = AllowedHosts(["Proxy.Example.org"])
    assert hosts.allows("proxy.example.org:443") and hosts.allows("127.9.9.9") and not hosts.allows("[::2]")


def test_x_forwarded_for_is_trusted_only_behind_a_declared_proxy(assistant, serve_app):
    wrong = {"username": "ann", "password": "guess"}
    for behind_proxy, expected in ((False, {429}), (True, {400})):
        url = serve_app(assistant, auth=[("ann", "s3cret")], throttle=LoginThrottle(free=3, base=60),
                        behind_proxy=behind_proxy)  # fmt: skip
        with httpx.Client(timeout=10) as http:
            codes = [
                http.post(
                    f"{url}login", data=wrong, headers={"X-Forwarded-For": f"203.0.113.{i}"}
                ).status_code
                for i in range(12)
            ]
        # The probe changed X-Forwarded-For on each try: counted as one client unless a proxy is declared.
        assert set(codes[3:]) == expected, (behind_proxy, codes)


def test_the_throttle_keys_on_account_and_address_and_takes_the_right_password_after_the_wait(
    assistant, serve_app
):
    url = serve_app(
        assistant, auth=[("ann", "s3cret"), ("bob", "b0b-pw")], throttle=LoginThrottle(free=3, base=2)
    )
    with httpx.Client(timeout=10) as http:
        codes = [
            http.post(f"{url}login", data={"username": "ann", "password": "x"}).status_code for _ in range(5)
        ]
        assert codes[:3] == [400] * 3 and codes[3:] == [429, 429]
        locked = http.post(f"{url}login", data={"username": "ann", "password": "s3cret"})
        assert locked.status_code == 429
        # Another account from the same address is not locked by ann's failures.
        assert http.post(f"{url}login", data={"username": "bob", "password": "b0b-pw"}).status_code == 200
        time.sleep(int(locked.headers["retry-after"]) + 0.2)
        assert http.post(f"{url}login", data={"username": "ann", "password": "s3cret"}).status_code == 200
        api = http.post(f"{url}api/v1/ask", json={"question": QUESTION}, auth=("ann", "s3cret"))
        assert api.status_code == 200
