"""The app's API through gradio_client against a real server on the real index: /ask and /chat."""

from __future__ import annotations

import pytest
from gradio_client import Client

import web.app as app

NANPING = "001_7f7e28910d8affd7.txt"


@pytest.fixture(scope="module")
def client(app_url) -> Client:
    return Client(app_url, verbose=False)


def test_ask_answers_with_the_nanping_report_cited_first(client):
    result = client.predict("南平工会组建率是多少", api_name="/ask")
    assert "error" not in result
    assert result["answer"] and "95%以上" in result["answer"]
    assert result["citations"][0]["source"] == NANPING
    first = result["citations"][0]
    start, end = first["span"]
    assert "95%以上" in first["text"][start:end]


def test_ask_takes_k_and_a_city(client):
    result = client.predict("工会组建率是多少", 2, "南平", api_name="/ask")
    assert 1 <= len(result["citations"]) <= 2
    assert {c["city"] for c in result["citations"]} == {"南平"}


@pytest.mark.parametrize("question", app.EXAMPLES)
def test_every_example_question_is_answered_from_its_city(client, question):
    result = client.predict(question, api_name="/ask")
    assert result["answer"], result
    assert result["citations"][0]["city"] in question


def test_chat_follow_up_swaps_the_city(client):
    first = client.predict("南平工会组建率是多少", api_name="/chat")
    assert "95%以上" in first["answer"] and first["history"] == ["南平工会组建率是多少"]
    follow = client.predict("那龙岩呢？", first["history"], api_name="/chat")
    assert "error" not in follow
    assert follow["city"] == "龙岩"
    # Both Longyan reports (002, and the second article of 000) are fair sources; the city is what must swap.
    assert follow["citations"] and all(c["city"] == "龙岩" for c in follow["citations"])
    assert follow["history"] == ["南平工会组建率是多少", "那龙岩呢？"]


@pytest.mark.parametrize(
    ("question", "k", "message"),
    [
        ("", 5, "请输入问题"),
        ("   ", 5, "请输入问题"),
        ("问" * 501, 5, "500 字以内"),
        ("南平工会组建率是多少", 11, "1 到 10"),
    ],
)
def test_bad_input_returns_the_message_not_a_server_error(client, question, k, message):
    result = client.predict(question, k, api_name="/ask")
    assert message in result["error"]
    assert "answer" not in result
    chat = client.predict(question, [], k, api_name="/chat")
    assert message in chat["error"]


def test_the_ui_handlers_are_not_part_of_the_public_api(client):
    endpoints = client.view_api(return_format="dict", print_info=False)
    assert set(endpoints["named_endpoints"]) == {"/ask", "/chat"}
    assert not endpoints["unnamed_endpoints"]
