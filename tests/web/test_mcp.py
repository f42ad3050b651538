"""The MCP tools with the official SDK's client, over stdio (`python -m qa.mcp_server` as a subprocess, as a
desktop client starts it) and over Streamable HTTP at /mcp on a real running server with and without a login."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("mcp")
import httpx2  # noqa: E402  - the SDK's HTTP client
from mcp import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "南平工会组建率是多少"
TOOLS = {"ask", "search", "list_reports", "get_passage"}


async def session(server: Any) -> dict[str, Any]:
    """What a desktop client does: list the tools, ask, search, list the reports and read a cited passage."""
    async with Client(server, read_timeout_seconds=120) as client:
        listed = (await client.list_tools()).tools
        answer = await client.call_tool("ask", {"question": QUESTION, "k": 3})
        data = json.loads(answer.content[0].text)
        passage = await client.call_tool("get_passage", {"passage_id": data["citations"][0]["passage_id"]})
        hits = await client.call_tool("search", {"question": QUESTION, "k": 2, "place": "南平"})
        reports = await client.call_tool("list_reports", {})
        bad = await client.call_tool("ask", {"question": QUESTION, "k": 11})
        return {
            "tools": {t.name: t for t in listed},
            "answer": (answer.is_error, data),
            "passage": json.loads(passage.content[0].text),
            "hits": json.loads(hits.content[0].text),
            "reports": reports.structured_content["result"],
            "bad": (bad.is_error, bad.content[0].text),
        }


def check(seen: dict[str, Any], assistant: Any) -> None:
    tools = seen["tools"]
    assert set(tools) == TOOLS
    for tool in tools.values():  # Chinese and English in every description
        chinese, english = tool.description.split("\n")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese) and english.isascii() and " " in english
    assert tools["ask"].input_schema["properties"]["k"]["maximum"] == 10
    is_error, data = seen["answer"]
    expected = assistant.ask(QUESTION, k=3).to_dict()
    assert not is_error and data["answer"] == expected["answer"] and data["answer"]
    assert data["sentence"] == expected["sentence"] and 1 <= len(data["citations"]) <= 3
    cited = data["citations"][0]
    passage = seen["passage"]
    assert passage["passage_id"] == cited["passage_id"] and passage["text"] == cited["text"]
    assert (passage["source"], passage["paragraph"], passage["place"]) == (
        cited["source"],
        cited["paragraph"],
        cited["city"],
    )
    hits = seen["hits"]["hits"]
    assert 1 <= len(hits) <= 2 and {h["city"] for h in hits} == {"南平"}
    reports = {r["source"]: r for r in seen["reports"]}
    assert set(reports) == {s["source"] for s in assistant.sources()}
    assert sum(r["passages"] for r in reports.values()) == assistant.passage_count
    assert all({"place", "year", "title"} <= set(r) for r in reports.values())
    is_error, message = seen["bad"]
    assert is_error and "k" in message and "10" in message


def test_stdio_server_started_as_a_desktop_client_does(index_dir, assistant):
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "qa.mcp_server", "--index-dir", str(index_dir)],
        cwd=str(ROOT),
        env={**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)},
    )
    check(asyncio.run(session(params)), assistant)


def test_http_on_loopback_without_a_login(app_url, assistant):
    check(asyncio.run(session(app_url + "mcp")), assistant)


def test_http_with_a_login(assistant, serve_app):
    url = serve_app(assistant, auth=[("ann", "s3cret")]) + "mcp"
    hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"accept": "application/json, text/event-stream"}
    anonymous = httpx.post(url, json=hello, headers=headers, timeout=30)
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Basic")
    wrong = httpx.post(url, json=hello, headers=headers, auth=("ann", "nope"), timeout=30)
    assert wrong.status_code == 401 and wrong.json()["error"] == "wrong user or password"
    big = httpx.post(url, content=b"x" * (200 * 1024), headers=headers, auth=("ann", "s3cret"), timeout=30)
    assert big.status_code == 413
    foreign = httpx.post(url, json=hello, headers={**headers, "origin": "http://evil.example"}, timeout=30)
    assert foreign.status_code == 403

    def transport():
        return streamable_http_client(
            url, http_client=httpx2.AsyncClient(auth=("ann", "s3cret"), timeout=120)
        )

    check(asyncio.run(session(transport())), assistant)
