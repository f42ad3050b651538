"""The app's own input checks and command-line safety rules (no server needed)."""

from __future__ import annotations

import pytest

import app


def test_question_is_stripped_and_capped_at_500_characters():
    assert app.check_question("  南平工会组建率是多少 \n") == "南平工会组建率是多少"
    assert app.check_question("问" * 500) == "问" * 500
    with pytest.raises(app.InputProblem, match="500"):
        app.check_question("问" * 501)
    for empty in ("", "   ", None):
        with pytest.raises(app.InputProblem, match="请输入问题"):
            app.check_question(empty)
    with pytest.raises(app.InputProblem):
        app.check_question(["不是文字"])


def test_k_must_be_a_whole_number_from_1_to_10():
    assert app.check_k(3) == 3 and app.check_k(3.0) == 3 and app.check_k("7") == 7 and app.check_k(None) == 5
    for bad in (0, 11, 2.5, "many", -1):
        with pytest.raises(app.InputProblem, match="1 到 10"):
            app.check_k(bad)


def test_scope_values_map_to_city_or_report():
    assert app.parse_scope("all") == (None, None)
    assert app.parse_scope("city:龙岩") == ("龙岩", None)
    assert app.parse_scope("source:001_7f7e28910d8affd7.txt") == (None, "001_7f7e28910d8affd7.txt")
    with pytest.raises(app.InputProblem):
        app.parse_scope("planet:mars")


def test_auth_parsing_and_loopback_rule():
    assert app.parse_auth("ann:secret, bo:pw:with:colons") == [("ann", "secret"), ("bo", "pw:with:colons")]
    assert app.parse_auth("") is None
    with pytest.raises(app.InputProblem):
        app.parse_auth("nopassword")
    assert app.is_loopback("127.0.0.1") and app.is_loopback("localhost") and app.is_loopback("::1")
    assert not app.is_loopback("0.0.0.0") and not app.is_loopback("192.168.1.5")


def test_binding_to_the_network_without_auth_is_refused(monkeypatch, capsys):
    monkeypatch.delenv("APP_AUTH", raising=False)
    assert app.main(["--host", "0.0.0.0", "--port", "1"]) == 2
    assert "--auth" in capsys.readouterr().err
