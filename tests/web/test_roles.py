"""Roles and the audit log against a real server: a reader asks but cannot upload, add, remove or restore (checked
on the server, not only hidden), an editor can, and every change is logged (who, when, what, sha256)."""

from __future__ import annotations

import json

import httpx
import pytest

from index.audit import read_log
from index.reports import add_reports
from tests.web.conftest import READER, STAFF, session_token
from web.app import parse_auth
from web.reports import NOT_EDITOR

PUTIAN = "莆田市总工会工作纪实\n\n——福建省莆田市工会工作纪实\n\n莆田市总工会全年建成职工之家64个，惠及职工2.3万人。\n"


def test_login_lines_may_name_a_role():
    accounts = parse_auth("ann:pw:editor, rita:pw2:reader\nold:pw3, bo:pw:with:colons, cy:x:READER")
    assert accounts == [("ann", "pw"), ("rita", "pw2"), ("old", "pw3"), ("bo", "pw:with:colons"), ("cy", "x")]
    assert accounts.roles == {
        "ann": "editor",
        "rita": "reader",
        "old": "editor",
        "bo": "editor",
        "cy": "reader",
    }


def _run_event(http: httpx.Client, url: str, elem_id: str, trigger: str, data: list) -> list:
    """Run one event of the page as its browser would (queue/join, then the event stream); its outputs."""
    config = http.get(f"{url}config").json()
    # The page's load event first, as a browser runs it: it fills this session's menus (Gradio checks a
    # menu's value against them).
    load = next(d for d in config["dependencies"] if any(t[1] == "load" for t in d["targets"]))
    loaded = http.post(f"{url}gradio_api/run/predict",
                       json={"data": [], "fn_index": load["id"], "session_hash": "roles-test"})  # fmt: skip
    assert loaded.status_code == 200, loaded.text
    component = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
    dep = next(d for d in config["dependencies"] if [component, trigger] in [list(t) for t in d["targets"]])
    body = {"data": data, "fn_index": dep["id"], "trigger_id": component, "session_hash": "roles-test",
            "event_data": None}  # fmt: skip
    joined = http.post(f"{url}gradio_api/queue/join", json=body)
    assert joined.status_code == 200, joined.text
    with http.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": "roles-test"}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                event = json.loads(line[5:])
                if event.get("msg") == "process_completed":
                    return event["output"].get("data") or [event["output"].get("error")]
    raise AssertionError("the event never completed")


def test_a_reader_cannot_change_reports_and_an_editor_can_with_an_audit_line(staff_app):
    url, seeds, index_dir, _, desk = staff_app
    (seeds / "002_putian.txt").write_text(PUTIAN, encoding="utf-8")
    with httpx.Client(timeout=60) as reader, httpx.Client(timeout=60) as editor:
        assert (
            reader.post(f"{url}login", data={"username": READER[0], "password": READER[1]}).status_code == 200
        )
        assert (
            editor.post(f"{url}login", data={"username": STAFF[0], "password": STAFF[1]}).status_code == 200
        )
        # A reader asks...
        assert reader.post(
            f"{url}api/v1/ask", json={"question": "南平工会组建率是多少"}, auth=READER
        ).is_success
        # ...but uploads nothing, and the tab's events refuse a reader on the server even when called directly.
        upload = reader.post(f"{url}gradio_api/upload", files={"files": ("r.txt", PUTIAN.encode())})
        assert upload.status_code == 401 and "editor" in upload.json()["error"]
        # (A reader's page gets no menu of reports, so Gradio refuses the name before the desk refuses the role.)
        refused = _run_event(reader, url, "report-remove", "click", ["001_nanping.txt"])[0]
        assert refused == NOT_EDITOR or "not in the list of choices" in refused, refused
        assert desk.remove("001_nanping.txt", READER[0]) == NOT_EDITOR
        assert (seeds / "001_nanping.txt").is_file()
        removed = _run_event(editor, url, "report-remove", "click", ["001_nanping.txt"])[0]
        assert removed.startswith("已删除"), removed
        refused = _run_event(reader, url, "report-restore", "click", ["001_nanping.txt"])[0]
        assert refused == NOT_EDITOR or "not in the list of choices" in refused, refused
        assert desk.restore("001_nanping.txt", READER[0]) == NOT_EDITOR
        restored = _run_event(editor, url, "report-restore", "click", ["001_nanping.txt"])[0]
        assert restored.startswith("已恢复"), restored
        stored = editor.post(f"{url}gradio_api/upload", files={"files": ("r.txt", PUTIAN.encode())})
        assert stored.status_code == 200
        assert desk.add({"path": stored.json()[0]}, {}, {}, session_token(reader)) == NOT_EDITOR
    log = read_log(seeds)
    assert [(e.action, e.name, e.who) for e in log] == [
        ("restore", "001_nanping.txt", f"{STAFF[0]} (web)"),
        ("remove", "001_nanping.txt", f"{STAFF[0]} (web)"),
    ]
    assert all(len(e.sha256) == 64 for e in log)
    rows = desk.audit_rows()
    assert rows[0][1:4] == [f"{STAFF[0]} (web)", "恢复", "001_nanping.txt"]
    # A command-line add is logged too, as the system user; the log only grows.
    before = (seeds / ".audit.jsonl").read_bytes()
    report = seeds.parent / "三明.txt"
    report.write_text(PUTIAN.replace("莆田", "三明"), encoding="utf-8")
    add_reports([report], seeds_dir=seeds, index_dir=index_dir, embedder=desk.embedder())
    after = (seeds / ".audit.jsonl").read_bytes()
    assert after.startswith(before) and "(command line)" in read_log(seeds)[0].who


def test_a_reader_does_not_see_the_reports_tab(staff_app, make_browser):
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By

    from tests.web.test_browser import wait
    from tests.web.test_reports import login

    url = staff_app[0]
    tab = "//button[@role='tab' and contains(., '报告管理')]"
    for account, shown in ((READER, False), (STAFF, True)):
        driver = make_browser()
        login(driver, url, account)
        wait(driver, 30).until(lambda d: "份报告" in d.find_element(By.CSS_SELECTOR, "#status").text)
        assert bool([b for b in driver.find_elements(By.XPATH, tab) if b.is_displayed()]) == shown, account
        driver.quit()
