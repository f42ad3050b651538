"""The app's own input checks and command-line safety rules (no server needed)."""

from __future__ import annotations

import pytest

import web.app as app
import web.chat as chat
import web.view as view


def test_question_is_stripped_and_capped_at_500_characters():
    assert chat.check_question("  南平工会组建率是多少 \n") == "南平工会组建率是多少"
    assert chat.check_question("问" * 500) == "问" * 500
    with pytest.raises(chat.InputProblem, match="500"):
        chat.check_question("问" * 501)
    for empty in ("", "   ", None):
        with pytest.raises(chat.InputProblem, match="请输入问题"):
            chat.check_question(empty)
    with pytest.raises(chat.InputProblem):
        chat.check_question(["不是文字"])


def test_k_must_be_a_whole_number_from_1_to_10():
    assert (
        chat.check_k(3) == 3 and chat.check_k(3.0) == 3 and chat.check_k("7") == 7 and chat.check_k(None) == 5
    )
    for bad in (
        0,
        11,
        2.5,
        "many",
        -1,
        "nan",
        "inf",
        "-inf",
        float("nan"),
        float("inf"),
        10**400,
        "1e400",
        True,
    ):
        with pytest.raises(chat.InputProblem, match="1 到 10") as caught:
            chat.check_k(bad)
        assert len(str(caught.value)) < 80  # 10**400 is not echoed in full
    with pytest.raises(chat.InputProblem, match="不是数字"):
        chat.check_k([3])


def test_messages_shown_to_people_carry_no_server_paths():
    message = "/srv/qa/.index/manifest.json is not valid JSON; run: python -m index build --index-dir /srv/qa/.index"
    shown = view.public(message)
    assert (
        "/srv" not in shown
        and "manifest.json is not valid JSON" in shown
        and "python -m index build" in shown
    )
    assert view.public("组建率 95%/年，1/2 的职工") == "组建率 95%/年，1/2 的职工"  # not a path
    assert view.public(r"C:\Users\ann\idx\dense.faiss is truncated") == "dense.faiss is truncated"


def test_scope_values_map_to_city_or_report():
    assert chat.parse_scope("all") == (None, None)
    assert chat.parse_scope("city:龙岩") == ("龙岩", None)
    assert chat.parse_scope("source:001_7f7e28910d8affd7.txt") == (None, "001_7f7e28910d8affd7.txt")
    with pytest.raises(chat.InputProblem):
        chat.parse_scope("planet:mars")


def test_auth_parsing_and_loopback_rule():
    assert app.parse_auth("ann:secret, bo:pw:with:colons") == [("ann", "secret"), ("bo", "pw:with:colons")]
    assert app.parse_auth("ann:secret\nbo:pw\n") == [("ann", "secret"), ("bo", "pw")]
    assert app.parse_auth("") is None
    with pytest.raises(chat.InputProblem) as caught:
        app.parse_auth("ann:")
    with pytest.raises(chat.InputProblem):
        app.parse_auth("nopassword")
    for host in (
        "127.0.0.1",
        "127.0.0.2",
        "localhost",
        "::1",
        "[::1]",
        "0:0:0:0:0:0:0:1",
        "::ffff:127.0.0.1",
    ):
        assert app.is_loopback(host), host
    for host in ("0.0.0.0", "::", "", " ", "192.168.1.5", "no-such-host.invalid"):
        assert not app.is_loopback(host), host
    assert "ann" in str(caught.value)


def test_binding_to_the_network_without_auth_is_refused(monkeypatch, capsys):
    monkeypatch.delenv("APP_AUTH", raising=False)
    for host in ("0.0.0.0", "::", ""):
        assert app.main(["--host", host, "--port", "1"]) == 2
        assert "APP_AUTH" in capsys.readouterr().err


def test_the_password_is_never_taken_from_the_command_line(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("APP_AUTH", raising=False)
    assert app.main(["--auth", "ann:s3cret"]) == 2
    err = capsys.readouterr().err
    assert "APP_AUTH" in err and "--auth-file" in err and "s3cret" not in err
    secret = tmp_path / "auth"
    secret.write_text("ann:s3cret\n", encoding="utf-8")
    assert app.read_auth(secret) == [("ann", "s3cret")]
    assert app.read_auth(None, {"APP_AUTH": "bo:pw"}) == [("bo", "pw")]
    assert app.read_auth(None, {}) is None
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    for bad in (tmp_path / "empty", tmp_path / "missing"):
        with pytest.raises(chat.InputProblem, match="auth-file"):
            app.read_auth(bad)
