"""The JSON HTTP API (/api/v1/…) with a plain HTTP client against the real server on the real index."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

NANPING = "001_7f7e28910d8affd7.txt"
QUESTION = "南平工会组建率是多少"


@pytest.fixture(scope="module")
def http(app_url):
    with httpx.Client(base_url=app_url, timeout=60) as client:
        yield client


def test_ask_returns_the_answer_with_citations(http):
    reply = http.post("/api/v1/ask", json={"question": QUESTION})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/json")
    data = reply.json()
    assert data["answer"] == "95%以上" and data["citations"][0]["source"] == NANPING
    start, end = data["citations"][0]["span"]
    assert data["citations"][0]["text"][start:end] == "95%以上"
    few = http.post("/api/v1/ask", json={"question": "工会组建率是多少", "k": 2, "city": "南平"}).json()
    assert 1 <= len(few["citations"]) <= 2 and {c["city"] for c in few["citations"]} == {"南平"}


def test_ask_returns_a_table_across_reports_and_the_items_of_a_list(http):
    data = http.post("/api/v1/ask", json={"question": "漳州和龙岩的工会会员分别有多少"}).json()
    rows = data["table"]["rows"]
    assert {(r["place"], r["answer"]) for r in rows} == {
        ("漳州", "71.1万人"),
        ("漳州", "72.7万人"),
        ("龙岩", "报告中未提及"),
    }
    for row in rows:
        assert {"place", "year", "answer", "value", "unit", "source", "passage_id", "sentence"} <= set(row)
    items = http.post("/api/v1/ask", json={"question": "南平市总工会获得过哪些荣誉"}).json()["items"]
    assert len(items) == 3 and all(i["source"] == NANPING and i["passage_id"] for i in items)
    # The other three questions of issue 19: a comparison, a superlative read from its table, seven headings.
    rates = http.post("/api/v1/ask", json={"question": "各地工会组建率对比"}).json()["table"]["rows"]
    assert {(r["place"], r["answer"]) for r in rates} >= {
        ("南平", "95%以上"),
        ("衢州", "95%以上"),
        ("漳州", "90.7%"),
    }
    most = http.post("/api/v1/ask", json={"question": "哪个城市的工会会员最多"}).json()
    assert most["table"]["best"] == ["漳州"] and most["answer"].startswith("漳州")
    brands = http.post("/api/v1/ask", json={"question": "衢州工会有哪些创新品牌"}).json()["items"]
    assert len(brands) == 7


def test_search_returns_passages_with_citation_fields(http):
    reply = http.post("/api/v1/search", json={"question": "龙岩医疗互助", "k": 3, "city": "龙岩"})
    assert reply.status_code == 200
    hits = reply.json()["hits"]
    assert [h["rank"] for h in hits] == [1, 2, 3]
    for hit in hits:
        assert hit["city"] == "龙岩" and hit["source"].endswith(".txt") and hit["text"]
        assert {"title", "year", "paragraph", "passage_id", "score", "kind", "legs", "parts"} <= set(hit)
    only = http.post("/api/v1/search", json={"question": "工会", "source": NANPING}).json()["hits"]
    assert only and {h["source"] for h in only} == {NANPING}


def test_reports_lists_the_indexed_reports(http, assistant):
    reply = http.get("/api/v1/reports")
    assert reply.status_code == 200 and reply.json() == assistant.sources()


def test_the_openapi_page_describes_the_bounds(http):
    spec = http.get("/openapi.json").json()
    assert {"/api/v1/ask", "/api/v1/search", "/api/v1/reports"} <= set(spec["paths"])
    query = spec["components"]["schemas"]["Query"]["properties"]
    assert query["question"]["maxLength"] == 500 and query["k"]["maximum"] == 10
    page = http.get("/docs").text
    # Served whole from here: no script from a CDN (Swagger's page loaded one from cdn.jsdelivr.net).
    assert "/api/v1/ask" in page and "/openapi.json" in page and "<script" not in page and "cdn" not in page
    assert "200 <code>Answer</code>" in page and "200 <code>Report[]</code>" in page and "405" in page


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "question"),
        ({"question": ""}, "question"),
        ({"question": "问" * 10_000}, "question"),
        ({"question": QUESTION, "k": 0}, "k"),
        ({"question": QUESTION, "k": 11}, "k"),
        ({"question": QUESTION, "k": "nan"}, "k"),
        ({"question": QUESTION, "k": 10**400}, "k"),
        ({"question": QUESTION, "k": 2.5}, "k"),
        ({"question": QUESTION, "city": "城" * 201}, "city"),
        ({"question": QUESTION, "history": []}, "history"),
        ({"question": 42}, "question"),
        ([QUESTION], "body"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(http, body, field):
    for route in ("/api/v1/ask", "/api/v1/search"):
        reply = http.post(route, json=body)
        assert reply.status_code == 422, (route, body, reply.text)
        error = reply.json()["error"]
        assert error.startswith(field) and len(error) < 300  # the 10,000 characters are not echoed back


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"question": "   "}, "请输入问题"),
        ({"question": QUESTION, "city": "火星"}, "火星"),
        ({"question": QUESTION, "source": "nope.txt"}, "nope.txt"),
    ],
)
def test_input_the_assistant_refuses_is_a_422_with_its_message(http, body, words):
    for route in ("/api/v1/ask", "/api/v1/search"):
        reply = http.post(route, json=body)
        assert reply.status_code == 422 and words in reply.json()["error"], (route, reply.text)


def test_a_body_that_is_not_json_is_a_json_error_about_the_body(http):
    for raw in (b"{not json", '{"question": "南平工会组建率是多少",,}'.encode()):
        reply = http.post("/api/v1/ask", content=raw, headers={"content-type": "application/json"})
        assert reply.status_code == 422 and "Traceback" not in reply.text
        data = reply.json()
        # The field is the body, not the parser's character offset (it was reported as field "12").
        assert [p["field"] for p in data["problems"]] == ["body"], data
        assert data["error"].startswith("body: the body is not JSON"), data
    # An empty body, a form-encoded one (curl -d without a Content-Type) and a JSON string: the body, with the fix.
    for kw, words in (
        ({"content": b""}, "empty"),
        (
            {
                "content": b'{"question": "a"}',
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
            "Content-Type: application/json",
        ),
        ({"json": QUESTION}, "JSON object"),
    ):
        data = http.post("/api/v1/search", **kw).json()
        assert data["problems"] == [{"field": "body", "problem": data["problems"][0]["problem"]}], data
        assert data["error"].startswith("body: ") and words in data["error"], data


def test_the_api_takes_the_chats_login(assistant, serve_app):
    url = serve_app(assistant, auth=[("ann", "s3cret")])
    with httpx.Client(base_url=url, timeout=30) as http:
        for method, route in (("POST", "/api/v1/ask"), ("GET", "/api/v1/reports"), ("GET", "/openapi.json")):
            anonymous = http.request(method, route, json={"question": QUESTION})
            assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Basic")
            wrong = http.request(method, route, json={"question": QUESTION}, auth=("ann", "nope"))
            assert wrong.status_code == 401 and wrong.json() == {"error": "wrong user or password"}
            right = http.request(method, route, json={"question": QUESTION}, auth=("ann", "s3cret"))
            assert right.status_code == 200
        assert http.get("/docs").status_code == 401


def test_concurrent_requests_are_answered_or_turned_away_with_503(assistant, serve_app):
    url = serve_app(assistant, queue_size=1, concurrency=1)
    start = threading.Barrier(20)

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60) as http:
            start.wait(timeout=30)
            return http.post("/api/v1/search", json={"question": "漳州工会会员有多少职工", "k": 10})

    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(one, range(20), timeout=120))
    codes = [r.status_code for r in replies]
    assert set(codes) <= {200, 503} and 200 in codes and 503 in codes, codes
    busy = next(r for r in replies if r.status_code == 503)
    assert busy.headers["retry-after"] == "1" and "busy" in busy.json()["error"]
    with httpx.Client(base_url=url, timeout=60) as http:  # still answers afterwards
        assert http.post("/api/v1/ask", json={"question": QUESTION}).json()["answer"] == "95%以上"


def test_k_is_strictly_an_integer(http):
    for k in ("5", 5.0, True):
        reply = http.post("/api/v1/ask", json={"question": "南平工会组建率是多少", "k": k})
        assert reply.status_code == 422 and "k" in reply.text, k
    assert http.post("/api/v1/ask", json={"question": "南平工会组建率是多少", "k": 5}).status_code == 200


def test_a_wrong_method_is_405_and_a_wrong_path_404_in_the_one_error_shape(http):
    wrong = http.get("/api/v1/ask")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert set(wrong.json()) == {"error"} and "POST" in wrong.json()["error"]
    missing = http.post("/api/v1/nowhere", json={"question": QUESTION})
    assert missing.status_code == 404 and set(missing.json()) == {"error"}


def conforms(value, schema: dict, spec: dict, where: str = "reply") -> list[str]:
    """Where value departs from an OpenAPI schema: a wrong type, a missing field, or a field it does not declare."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        tries = [conforms(value, s, spec, where) for s in schema["anyOf"]]
        return [] if any(not t for t in tries) else min(tries, key=len)
    kind = schema.get("type")
    types = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    if kind is None:
        return []
    if not isinstance(value, types[kind]) or (kind in ("integer", "number") and isinstance(value, bool)):
        return [f"{where}: {type(value).__name__} where the schema says {kind}"]
    if kind == "array":
        item = schema.get("items", {})
        return [p for i, v in enumerate(value) for p in conforms(v, item, spec, f"{where}[{i}]")]
    if kind == "object":
        declared = schema.get("properties", {})
        out = [f"{where}.{k}: not in the schema" for k in value if k not in declared]
        out += [f"{where}.{k}: missing" for k in schema.get("required", ()) if k not in value]
        for k, v in value.items():
            if k in declared:
                out += conforms(v, declared[k], spec, f"{where}.{k}")
        return out
    return []


def reply_schema(spec: dict, method: str, route: str, status: int) -> dict:
    response = spec["paths"][route][method.lower()]["responses"][str(status)]
    return response["content"]["application/json"]["schema"]


def test_real_replies_match_the_openapi_description_field_for_field(http):
    spec = http.get("/openapi.json").json()
    asked = {
        "plain": {"question": QUESTION},
        "table": {"question": "漳州和龙岩的工会会员分别有多少"},
        "superlative": {"question": "哪个城市的工会会员最多"},
        "items": {"question": "南平市总工会获得过哪些荣誉"},
        "none": {"question": "南平工会有多少台电脑"},
    }
    for name, body in asked.items():
        data = http.post("/api/v1/ask", json=body).json()
        assert conforms(data, reply_schema(spec, "POST", "/api/v1/ask", 200), spec) == [], name
    answer = spec["components"]["schemas"]["Answer"]
    assert {"citations", "table", "items", "notes", "answer", "sentence"} <= set(answer["required"])
    hits = http.post("/api/v1/search", json={"question": "龙岩医疗互助", "k": 3}).json()
    assert hits["hits"] and conforms(hits, reply_schema(spec, "POST", "/api/v1/search", 200), spec) == []
    reports = http.get("/api/v1/reports").json()
    assert reports and conforms(reports, reply_schema(spec, "GET", "/api/v1/reports", 200), spec) == []
    # The check bites: an undeclared field and a wrong type are both caught.
    wrong = {**reports[0], "extra": 1, "year": "2020"}
    assert len(conforms([wrong], reply_schema(spec, "GET", "/api/v1/reports", 200), spec)) == 2


def test_every_status_is_documented_per_route_in_the_one_error_shape(http, assistant, serve_app):
    spec = http.get("/openapi.json").json()
    sent = {"401", "403", "404", "405", "413", "429", "503"}
    for route, methods in spec["paths"].items():
        for method, op in methods.items():
            statuses = set(op["responses"])
            assert sent <= statuses, (method, route, sent - statuses)
            assert method != "post" or "422" in statuses
            for status in statuses - {"200"}:
                error = {"$ref": "#/components/schemas/Error"}
                assert reply_schema(spec, method, route, int(status)) == error, (route, status)
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # FastAPI's {"detail": …} is gone
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and set(error["properties"]) == {"error", "problems"}
    # Real error replies of each kind fit it.
    url = serve_app(assistant, auth=[("ann", "s3cret")])
    ann = ("ann", "s3cret")
    with httpx.Client(base_url=url, timeout=30) as other:
        replies = [
            other.post("/api/v1/ask", json={"question": QUESTION}),
            other.get("/api/v1/ask", auth=ann),
            other.get("/api/v1/nowhere", auth=ann),
            other.post("/api/v1/ask", json={"question": QUESTION, "k": 0}, auth=ann),
            other.post("/api/v1/ask", content=b"{", auth=ann, headers={"content-type": "application/json"}),
            other.post("/api/v1/ask", json={"question": QUESTION}, headers={"origin": "http://evil.example"}),
            other.post("/api/v1/ask", json={"question": "问" * 100_000}, auth=ann),
        ]
    assert [r.status_code for r in replies] == [401, 405, 404, 422, 422, 403, 413]
    for reply in replies:
        schema = reply_schema(spec, "POST", "/api/v1/ask", reply.status_code)
        assert conforms(reply.json(), schema, spec) == [], reply.text
