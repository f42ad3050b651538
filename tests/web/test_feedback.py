"""Feedback end to end with real processes: a 👎 with a correction given in a real headless Chromium appears in
the editors' 反馈 tab, is accepted, and `python -m eval --gold` scores the gold line it became; POST
/api/v1/feedback with a login, without one, from a reader, and bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest

from tests.web.conftest import READER, ROOT, STAFF
from tests.web.test_reports import WAIT, login

QUESTION = "南平为困难职工建档多少户"
FIX = "16464户"
PASSAGE = "南平市总工会为困难职工建立档案16464户，列全省第一。"
MARKUP = '<b id="xss">粗体</b><img src=x onerror="window.pwned=1">南平有多少会员'


def test_a_thumbs_down_with_a_correction_becomes_a_gold_question(staff_app, make_browser, tmp_path):
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.web.test_browser import wait

    url, _, index_dir, _, _ = staff_app
    gold = tmp_path / "gold_feedback.jsonl"  # the staff_app fixture's gold file
    # An earlier entry whose text is markup: the tab shows it as text.
    markup = {"question": MARKUP, "answer": "<i>斜体</i>", "verdict": "up"}
    assert httpx.post(f"{url}api/v1/feedback", json=markup, auth=READER, timeout=60).status_code == 200
    driver = make_browser()
    login(driver, url)
    driver.find_element(By.CSS_SELECTOR, "#question textarea").send_keys(QUESTION, Keys.ENTER)
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#chat .qa-reply"))

    def thumb(name: str):
        return wait(driver, WAIT).until(
            lambda d: d.find_elements(
                By.CSS_SELECTOR, f"#chat button[aria-label='{name}'], #chat button[title='{name}']"
            )
        )[-1]

    note = driver.find_element(By.CSS_SELECTOR, "#feedback-note")
    thumb("Like").click()  # first 👍, then a change of mind: one entry, a 👎
    wait(driver, WAIT).until(lambda d: "👍" in note.text)
    thumb("Dislike").click()
    fix = wait(driver, WAIT).until(
        lambda d: [
            e
            for e in d.find_elements(By.CSS_SELECTOR, "#feedback-fix input, #feedback-fix textarea")
            if e.is_displayed()
        ]  # fmt: skip
    )[0]
    fix.send_keys(FIX)
    driver.find_element(By.CSS_SELECTOR, "#feedback-passage textarea").send_keys(PASSAGE)
    driver.find_element(By.CSS_SELECTOR, "#feedback-send").click()
    wait(driver, WAIT).until(lambda d: "更正已记录" in note.text or "⚠️" in note.text)
    assert "更正已记录" in note.text, note.text

    driver.find_element(By.XPATH, "//button[@role='tab' and contains(., '反馈')]").click()
    listed = driver.find_element(By.CSS_SELECTOR, "#feedback-list")
    wait(driver, WAIT).until(lambda d: QUESTION in listed.text)
    rows = listed.find_elements(By.CSS_SELECTOR, "tbody tr")  # newest first
    assert (
        QUESTION in rows[0].text and "👎" in rows[0].text and FIX in rows[0].text and "待审核" in rows[0].text
    )
    assert len(rows) == 2 and MARKUP in rows[1].text and "rita" in rows[1].text
    assert not listed.find_elements(By.CSS_SELECTOR, "b#xss, img, i")
    assert not driver.execute_script("return window.pwned")
    chosen = driver.find_element(By.CSS_SELECTOR, "#feedback-chosen input")
    chosen.click()
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "ul[role='listbox'] li"))
    driver.find_element(By.CSS_SELECTOR, "ul[role='listbox'] li").click()
    driver.find_element(By.CSS_SELECTOR, "#feedback-accept").click()
    message = driver.find_element(By.CSS_SELECTOR, "#feedback-message")
    wait(driver, WAIT).until(lambda d: "已接受" in message.text or "⚠️" in message.text)
    assert "已接受" in message.text, message.text
    wait(driver, WAIT).until(lambda d: "已接受" in listed.text)

    line = json.loads(gold.read_text(encoding="utf-8"))
    assert line["question"] == QUESTION and line["answers"] == [FIX] and line["source"] == "feedback"
    assert line["sources"] == ["001_nanping.txt"] and line["kind"] == "number"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "eval", "--gold", str(gold), "--index-dir", str(index_dir), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    scored = json.loads(run.stdout)["runs"][0]
    assert scored["summary"]["questions"] == 1 and scored["summary"]["answer_acc"] in (0.0, 1.0), scored


def test_feedback_over_http_needs_a_login_and_is_bounded(serve_app, small_index, embedder, tmp_path):
    import web.app as app
    from qa import Assistant

    _, index_dir = small_index
    assistant = Assistant.load(index_dir, embedder=embedder)
    accounts = app.parse_auth(f"{STAFF[0]}:{STAFF[1]}, {READER[0]}:{READER[1]}:reader")
    demo = app.build_app(assistant, feedback={"gold_file": tmp_path / "g.jsonl"})
    server = app.serve(demo, host="127.0.0.1", port=0, auth=accounts)
    url = server.url
    given = {"question": QUESTION, "answer": "7000多场次", "verdict": "down",
             "citations": [{"source": "001_nanping.txt", "title": "t", "passage_id": "p", "text": PASSAGE}],
             "correction": {"answer": FIX, "passage": PASSAGE}}  # fmt: skip
    try:
        with httpx.Client(timeout=60) as http:
            assert http.post(f"{url}api/v1/feedback", json=given).status_code == 401
            stored = http.post(f"{url}api/v1/feedback", json=given, auth=READER)
            assert stored.status_code == 200, stored.text
            entry = stored.json()
            assert entry["user"] == READER[0] and entry["status"] == "new" and entry["index_version"]
            assert entry["correction"]["answer"] == FIX
            bad = http.post(f"{url}api/v1/feedback", json={**given, "verdict": "meh"}, auth=READER)
            assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "verdict"
            long = {**given, "correction": {"answer": "数" * 201}}
            assert http.post(f"{url}api/v1/feedback", json=long, auth=READER).status_code == 422
            demo.feedback.store.per_user = 1
            full = http.post(f"{url}api/v1/feedback", json=given, auth=READER)
            assert full.status_code == 507 and "the most one user may" in full.json()["error"]
    finally:
        server.close()
    # Without a login: anonymous feedback from this machine only.
    open_url = serve_app(assistant, feedback={"gold_file": tmp_path / "g.jsonl"})
    anonymous = httpx.post(f"{open_url}api/v1/feedback", json={**given, "verdict": "up", "correction": None})
    assert anonymous.status_code == 200 and anonymous.json()["user"] == "anonymous", anonymous.text
