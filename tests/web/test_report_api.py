"""The JSON API's report routes against a real server: an editor adds, removes and restores a report over HTTP
(the JSON API answers from the new build at once, the audit log names the editor), a reader gets 403, anonymous
gets 401, and an app without a login takes changes from this machine only."""

from __future__ import annotations

import httpx

from index.audit import read_log
from tests.web.conftest import READER, STAFF
from web.guard import LoginThrottle, staff_refusal

WAIT = 120
PUTIAN = "莆田市总工会工作纪实\n\n——福建省莆田市工会工作纪实\n\n莆田市总工会全年建成职工之家64个，惠及职工2.3万人。\n"


def _report(name: str = "莆田2021.txt", text: str = PUTIAN) -> dict:
    return {"file": (name, text.encode(), "text/plain")}


def _sources(http: httpx.Client, url: str, auth) -> list[str]:
    return [r["source"] for r in http.get(f"{url}api/v1/reports", auth=auth).json()]


def test_an_editor_adds_removes_and_restores_over_http_and_a_reader_cannot(staff_app):
    url, seeds, _, uploads, _ = staff_app
    with httpx.Client(timeout=WAIT) as http:
        anonymous = http.post(f"{url}api/v1/reports", files=_report())
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Basic")
        reader = http.post(f"{url}api/v1/reports", files=_report(), auth=READER)
        assert reader.status_code == 403 and "reader" in reader.json()["error"]
        wrong = http.post(f"{url}api/v1/reports", files=_report(), auth=(STAFF[0], "wrong"))
        assert wrong.status_code == 401
        two = http.post(
            f"{url}api/v1/reports", files=[("file", ("a.txt", b"a")), ("file", ("b.txt", b"b"))], auth=STAFF
        )
        assert two.status_code == 413 and "1 file" in two.json()["error"]
        assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == ["001_nanping.txt"]

        added = http.post(f"{url}api/v1/reports", files=_report(), data={"date": "2021"}, auth=STAFF)
        assert added.status_code == 200, added.text
        body = added.json()
        assert body["name"] == "莆田2021.txt" and body["passages"] >= 1 and body["declared"] == ["date"]
        # The JSON API answers from the new build at once (no restart, no page load).
        assert "莆田2021.txt" in _sources(http, url, READER)
        answer = http.post(
            f"{url}api/v1/ask", json={"question": "莆田建成职工之家多少个"}, auth=READER
        ).json()
        assert "64个" in (answer["answer"] or ""), answer
        again = http.post(f"{url}api/v1/reports", files=_report(), auth=STAFF)
        assert again.status_code == 409 and "remove" in again.json()["error"]
        unreadable = http.post(f"{url}api/v1/reports", files=_report("x.txt", "  \n"), auth=STAFF)
        assert unreadable.status_code == 422 and "index is unchanged" not in unreadable.json()["error"]

        assert http.delete(f"{url}api/v1/reports/莆田2021.txt", auth=READER).status_code == 403
        assert http.delete(f"{url}api/v1/reports/莆田2021.txt").status_code == 401
        removed = http.delete(f"{url}api/v1/reports/莆田2021.txt", auth=STAFF)
        assert removed.status_code == 200 and removed.json()["action"] == "removed", removed.text
        assert removed.json()["trash_days"] >= 1
        assert "莆田2021.txt" not in _sources(http, url, READER)
        assert http.delete(f"{url}api/v1/reports/莆田2021.txt", auth=STAFF).status_code == 404
        assert http.post(f"{url}api/v1/reports/nothing.txt/restore", auth=STAFF).status_code == 404
        assert http.post(f"{url}api/v1/reports/莆田2021.txt/restore", auth=READER).status_code == 403
        restored = http.post(f"{url}api/v1/reports/莆田2021.txt/restore", auth=STAFF)
        assert restored.status_code == 200 and restored.json()["action"] == "restored", restored.text
        assert "莆田2021.txt" in _sources(http, url, READER)

        wrong_method = http.get(f"{url}api/v1/reports/莆田2021.txt", auth=STAFF)
        assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "DELETE"
    log = [(e.action, e.name, e.who) for e in read_log(seeds)]
    assert sorted(log) == [
        ("add", "莆田2021.txt", "staff (api)"),
        ("remove", "莆田2021.txt", "staff (api)"),
        ("restore", "莆田2021.txt", "staff (api)"),
    ]
    assert not [p for p in uploads.rglob("*") if p.is_file()], "nothing of the uploads is left behind"


def test_without_a_login_only_this_machine_changes_reports(serve_app, small_index, embedder):
    from qa import Assistant

    seeds, index_dir = small_index
    assistant = Assistant.load(index_dir, embedder=embedder)
    url = serve_app(assistant, manage={"index_dir": index_dir, "embedder": embedder},
                    feedback={"gold_file": index_dir.parent / "gold.jsonl"})  # fmt: skip
    with httpx.Client(timeout=WAIT) as http:
        added = http.post(f"{url}api/v1/reports", files=_report())
        assert added.status_code == 200, added.text
        assert http.delete(f"{url}api/v1/reports/莆田2021.txt").status_code == 200
        # A proxy in front of an app without a login is refused, uploads included.
        proxied = http.post(f"{url}api/v1/reports", files=_report(), headers={"x-forwarded-for": "10.1.2.3"})
        assert proxied.status_code == 403
        # The page still takes no files.
        assert http.post(f"{url}gradio_api/upload", files={"files": ("r.txt", b"x")}).status_code == 403
    assert [e.who for e in read_log(seeds)] == ["anonymous (api)", "anonymous (api)"]


def test_from_another_machine_an_app_without_a_login_refuses_changes():
    scope = {"client": ("10.0.0.7", 5000), "headers": []}
    refused = staff_refusal({}, {}, LoginThrottle(), scope, None, editor=True, doing="add reports")
    assert refused[0] == 403 and "only this machine" in refused[1]
    local = {"client": ("::ffff:127.0.0.1", 5000), "headers": []}
    assert staff_refusal({}, {}, LoginThrottle(), local, None, editor=True, doing="add reports") is None


def test_the_report_routes_are_described_with_every_status(staff_app):
    url = staff_app[0]
    schema = httpx.get(f"{url}openapi.json", auth=READER, timeout=30).json()
    paths = schema["paths"]
    add = paths["/api/v1/reports"]["post"]
    assert "multipart/form-data" in add["requestBody"]["content"]
    for op in (
        add,
        paths["/api/v1/reports/{name}"]["delete"],
        paths["/api/v1/reports/{name}/restore"]["post"],
    ):
        assert {"200", "401", "403", "404", "409", "413", "422", "503"} <= set(op["responses"])
        assert op["responses"]["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert add["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/ReportAdded")
    feedback = paths["/api/v1/feedback"]["post"]
    assert {"200", "401", "403", "422", "507"} <= set(feedback["responses"])
