"""The 报告管理 tab and 查看原文 with real files, a real server and a real headless Chromium: staff log in,
upload a Word report, get an answer only it holds without a restart, see it in its report, and remove it;
anonymous uploads (browser and HTTP) are refused.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.documents import make_docx
from tests.web.conftest import STAFF, session_token

WAIT = 90  # seconds for a page, an answer or an add (embedding a short report) before the test fails
TITLE = "三明市总工会2022年工作报告"
PARAGRAPHS = (
    "2022年，三明市总工会团结带领全市职工建功新时代，各项工作取得新成效。",
    "三明市总工会全年建成户外劳动者驿站87个，服务环卫工人、快递员等户外劳动者4.6万人次。",
    "三明市各级工会开展职工技能竞赛215场次，参赛职工3.8万人次，评选三明市技术能手58名。",
    "下一步，三明市总工会将推进新就业形态劳动者入会，力争年内新发展会员1.2万人。",
)
QUESTION = "三明建成户外劳动者驿站多少个"
ANSWER = "87个"


def login(driver, url: str, account: tuple[str, str] = STAFF) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    from tests.web.test_browser import wait

    driver.get(url)
    user = wait(driver, WAIT).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, "input[type='text'], input:not([type])"))
    )
    user.send_keys(account[0])
    password = driver.find_element(By.CSS_SELECTOR, "input[type='password']")
    password.send_keys(account[1])
    driver.find_element(By.CSS_SELECTOR, "button").click()
    wait(driver, WAIT).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))


def ask_in_chat(driver, question: str):
    """Ask in the open 问答 tab and return the new reply's element once it is there."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.web.test_browser import wait

    box = driver.find_element(By.CSS_SELECTOR, "#question textarea")
    before = len(driver.find_elements(By.CSS_SELECTOR, "#chat .qa-reply"))
    box.send_keys(question, Keys.ENTER)
    wait(driver, WAIT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#chat .qa-reply")) > before)
    return driver.find_elements(By.CSS_SELECTOR, "#chat .qa-reply")[-1]


def test_staff_add_a_word_report_ask_it_see_it_and_remove_it(staff_app, make_browser, tmp_path, capsys):
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By

    from tests.web.test_browser import wait

    url, seeds, _, uploads, _ = staff_app
    report = make_docx(tmp_path / "三明2022年工作报告.docx", title=TITLE, paragraphs=PARAGRAPHS, table=None)
    driver = make_browser()
    login(driver, url)

    def ask(question: str):
        return ask_in_chat(driver, question)

    before = ask(QUESTION)  # not covered yet: declined
    assert ANSWER not in before.find_element(By.CSS_SELECTOR, ".qa-answer").text

    driver.find_element(By.XPATH, "//button[@role='tab' and contains(., '报告管理')]").click()
    file_input = wait(driver, WAIT).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#report-file input[type='file']")
    )
    started = time.perf_counter()
    file_input.send_keys(str(report))
    title = driver.find_element(By.CSS_SELECTOR, "#report-title textarea, #report-title input")
    wait(driver, WAIT).until(lambda d: title.get_attribute("value"))
    assert TITLE in title.get_attribute("value")
    place = driver.find_element(By.CSS_SELECTOR, "#report-place textarea, #report-place input")
    assert place.get_attribute("value") == "三明"
    driver.find_element(By.CSS_SELECTOR, "#report-add").click()
    message = driver.find_element(By.CSS_SELECTOR, "#report-message")
    wait(driver, WAIT).until(lambda d: "已添加" in message.text or "⚠️" in message.text)
    assert "已添加" in message.text, message.text
    added = time.perf_counter() - started
    rows = driver.find_element(By.CSS_SELECTOR, "#report-list")
    wait(driver, WAIT).until(lambda d: "三明" in rows.text)
    assert not [p for p in uploads.rglob("*") if p.is_file()], "the upload is removed once added"

    driver.find_element(By.XPATH, "//button[@role='tab' and contains(., '问答')]").click()
    reply = ask(QUESTION)
    seconds = time.perf_counter() - started
    assert ANSWER in reply.find_element(By.CSS_SELECTOR, ".qa-answer-text").text
    with capsys.disabled():
        print(
            f"\nbrowser, upload to added {added:.1f}s, upload to first answer {seconds:.1f}s (4 paragraphs)"
        )

    # 查看原文: the whole report, the cited passage marked and scrolled into view, text escaped.
    reply.find_element(By.CSS_SELECTOR, ".qa-view").click()
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#original mark.qa-orig-hit"))
    original = driver.find_element(By.CSS_SELECTOR, "#original")
    assert all(p[:10] in original.text for p in PARAGRAPHS)
    mark = original.find_element(By.CSS_SELECTOR, "mark.qa-orig-hit")
    assert "87个" in mark.text
    in_view = (
        "const r = arguments[0].getBoundingClientRect(), b = arguments[1].getBoundingClientRect();"
        "return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.top >= 0 && r.bottom <= innerHeight;"
    )
    box = original.find_element(By.CSS_SELECTOR, ".qa-orig-text")
    wait(driver, 10).until(lambda d: d.execute_script(in_view, mark, box))

    # Remove it: the page asks first, then the report is gone from the list and from the answers.
    driver.find_element(By.XPATH, "//button[@role='tab' and contains(., '报告管理')]").click()
    chosen = driver.find_element(By.CSS_SELECTOR, "#report-chosen input")
    chosen.click()
    chosen.send_keys("三明")
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "ul[role='listbox'] li"))
    driver.find_element(By.CSS_SELECTOR, "ul[role='listbox'] li").click()
    driver.find_element(By.CSS_SELECTOR, "#report-remove").click()
    wait(driver, WAIT).until(lambda d: d.switch_to.alert)
    driver.switch_to.alert.accept()
    wait(driver, WAIT).until(lambda d: "已删除" in message.text or "⚠️" in message.text)
    assert "已删除" in message.text, message.text
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == [
        "001_nanping.txt",
    ]
    driver.find_element(By.XPATH, "//button[@role='tab' and contains(., '问答')]").click()
    assert ANSWER not in ask(QUESTION).find_element(By.CSS_SELECTOR, ".qa-answer").text


def test_an_upload_that_does_not_read_leaves_the_index_as_it_was(staff_app):
    url, seeds, index_dir, uploads, desk = staff_app
    before = (
        sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")),
        (index_dir / "manifest.json").read_bytes(),
    )
    with httpx.Client(timeout=60) as http:
        assert http.post(f"{url}login", data={"username": STAFF[0], "password": STAFF[1]}).status_code == 200
        # A picture named .pdf: Gradio takes the upload (logged in), the tab refuses it in one line.
        png = b"\x89PNG\r\n\x1a\n" + bytes(200)
        stored = http.post(f"{url}gradio_api/upload", files={"files": ("扫描件.pdf", png, "application/pdf")})
        assert stored.status_code == 200, stored.text
        login = session_token(http)
    _, note = desk.inspect(stored.json()[0], login)
    assert note.startswith("⚠️ 无法读取") and "OCR" in note and "\n" not in note
    assert desk.add(stored.json()[0], {}, {}, login).startswith("⚠️ 没有添加")
    assert (
        sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")),
        (index_dir / "manifest.json").read_bytes(),
    ) == before
    assert not [p for p in uploads.rglob("*") if p.is_file()], "a refused upload is removed too"


def _multipart(files: int, size: int = 100) -> list:
    return [("files", (f"r{i}.txt", "南平".encode() * size, "text/plain")) for i in range(files)]


def test_uploads_need_a_login_and_stay_bounded(staff_app, tmp_path):
    url, seeds, _, uploads, _ = staff_app
    report = make_docx(tmp_path / "r.docx", title=TITLE, paragraphs=PARAGRAPHS, table=None).read_bytes()
    with httpx.Client(timeout=60) as anonymous:
        for route in ("gradio_api/upload", "gradio_api/upload_progress"):
            refused = anonymous.post(f"{url}{route}", files={"files": ("r.docx", report)})
            assert refused.status_code == 401, (route, refused.text)
        # Other multipart routes stay closed even to the logged-in (the tab needs only the upload route).
        assert anonymous.post(f"{url}gradio_api/component_server", files=_multipart(1)).status_code == 403
    with httpx.Client(timeout=60) as staff:
        assert staff.post(f"{url}login", data={"username": STAFF[0], "password": STAFF[1]}).status_code == 200
        assert staff.post(f"{url}gradio_api/upload", files={"files": ("r.docx", report)}).status_code == 200
        two = staff.post(f"{url}gradio_api/upload", files=_multipart(2))
        assert two.status_code == 413 and "1 file" in two.json()["error"]
        # Over 20 MB: refused by its Content-Length before it is read, and when streamed without one.
        big = b"x" * (20 * 2**20 + 1)
        assert staff.post(f"{url}gradio_api/upload", files={"files": ("big.txt", big)}).status_code == 413

        def chunks():
            for _ in range(22):
                yield b"y" * 2**20

        boundary = "qa-test-boundary"
        # The server answers 413 and stops reading at the limit; a client still sending may see that as a reset.
        try:
            streamed = staff.post(
                f"{url}gradio_api/upload",
                content=chunks(),
                headers={"content-type": f"multipart/form-data; boundary={boundary}"},
            ).status_code
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
            streamed = "reset"
        assert streamed in (400, 413, "reset")
        assert staff.post(f"{url}gradio_api/process_recording", files=_multipart(1)).status_code == 403
        # The chat's 128 KB limit still holds for everything else, logged in or not.
        assert staff.post(f"{url}gradio_api/call/ask", json={"data": ["x" * 200_000]}).status_code == 413
    # Refused uploads never reach Gradio's parser (which would leave a partial temporary file behind).
    stored = [p.name for p in uploads.rglob("*") if p.is_file()]
    assert stored == ["r.docx"], "only the accepted upload is kept (until used or 1 h)"
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == ["001_nanping.txt"]


def test_without_a_login_there_is_no_tab_and_no_upload(app_url, make_browser, tmp_path):
    # (Without a login, an app that manages reports takes changes over the JSON API from this machine only:
    # tests/web/test_report_api.py.)
    with httpx.Client(timeout=30) as http:
        refused = http.post(f"{app_url}gradio_api/upload", files=_multipart(1))
        assert refused.status_code == 403 and "no file uploads" in refused.json()["error"]
        assert http.get(f"{app_url}gradio_api/upload_progress").status_code == 403
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    from tests.web.test_browser import wait

    driver = make_browser()
    driver.get(app_url)
    wait(driver, WAIT).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    assert not driver.find_elements(By.CSS_SELECTOR, "input[type='file']")
    assert "报告管理" not in driver.find_element(By.TAG_NAME, "body").text
    # The browser's own upload call, from the page, is refused too.
    status = driver.execute_async_script(
        "const done = arguments[0]; const form = new FormData();"
        "form.append('files', new Blob(['南平']), 'r.txt');"
        "fetch('/gradio_api/upload', {method: 'POST', body: form}).then(r => done(r.status), () => done(0));"
    )
    assert status == 403


def test_anonymous_browser_on_a_staff_app_cannot_upload(staff_app, make_browser):
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    from tests.web.test_browser import wait

    url, seeds, *_ = staff_app
    driver = make_browser()
    driver.get(url)
    wait(driver, WAIT).until(EC.presence_of_element_located((By.CSS_SELECTOR, "input[type='password']")))
    assert not driver.find_elements(By.CSS_SELECTOR, "input[type='file']")
    status = driver.execute_async_script(
        "const done = arguments[0]; const form = new FormData();"
        "form.append('files', new Blob(['南平']), 'r.txt');"
        "fetch('/gradio_api/upload', {method: 'POST', body: form}).then(r => done(r.status), () => done(0));"
    )
    assert status == 401
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == ["001_nanping.txt"]


def test_the_running_server_answers_from_a_new_report_without_a_restart(staff_app, tmp_path):
    """Hot swap: the JSON API answers from a report published after the server started, by the tab or
    by another process (the CLI's library call); a question already running finishes on the old index."""
    from index.reports import add_reports
    from qa.live import LiveAssistant

    url, seeds, index_dir, uploads, desk = staff_app
    old = desk.live.current
    with httpx.Client(timeout=60, auth=STAFF) as http:

        def answer() -> str | None:
            reply = http.post(f"{url}api/v1/ask", json={"question": QUESTION})
            assert reply.status_code == 200, reply.text
            return reply.json()["answer"]

        assert answer() is None
        # Another process adds the report (python -m index add runs this); the JSON API answers from it
        # at the next request, without a page load or a restart.
        report = make_docx(tmp_path / "三明.docx", title=TITLE, paragraphs=PARAGRAPHS, table=None)
        add_reports([report], seeds_dir=seeds, index_dir=index_dir, embedder=desk.embedder())
        assert ANSWER in answer()
        assert any(row[0] == "三明.docx" for row in desk.rows())
        reports = http.get(f"{url}api/v1/reports").json()
        assert "三明.docx" in [r["source"] for r in reports]
    # The old assistant is untouched: a question that started on it finishes there.
    assert old.ask(QUESTION, 1).answer is None and ANSWER in desk.live.current.ask(QUESTION).answer
    assert isinstance(desk.live, LiveAssistant) and not desk.live.changed()


def test_the_original_is_escaped_marked_and_checked_against_the_index(small_index, embedder):
    from index.build import build_index
    from index.errors import IndexStaleError, ReportNameError
    from index.loaded import Index
    from index.original import passage_in_report
    from web.view import render_original

    seeds, index_dir = small_index
    hostile = (
        "厦门工会工作纪实\n\n——福建省厦门市工会工作纪实\n\n"
        "厦门市总工会建成职工书屋128家。<img src=x onerror=alert(1)>\n\n"
        "厦门市各级工会开展劳动竞赛，参赛职工达5万人次。\n"
    )
    (seeds / "002_xiamen.txt").write_text(hostile, encoding="utf-8")
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    index = Index.load(index_dir)
    passage = next(p for p in index.passages if p.source == "002_xiamen.txt" and "128家" in p.text)
    html = render_original(passage_in_report(index, passage))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    marked = html.split('<mark class="qa-orig-hit">')[1].split("</mark>")[0]
    assert "128家" in marked and "5万人次" not in marked and "5万人次" in html
    with pytest.raises(ReportNameError):
        passage_in_report(index, passage.__class__(**{**passage.__dict__, "source": "../etc/passwd"}))
    (seeds / "002_xiamen.txt").write_text(hostile.replace("128", "129"), encoding="utf-8")
    with pytest.raises(IndexStaleError, match="changed since the index was built"):
        passage_in_report(index, passage)


def test_a_chat_without_login_follows_a_report_added_from_the_command_line(
    small_index, embedder, serve_app, make_browser, tmp_path
):
    """No 报告管理 tab here: `python -m index add` publishes, and the next page load swaps the app onto it."""
    from index.reports import add_reports
    from qa import Assistant

    seeds, index_dir = small_index
    url = serve_app(Assistant.load(index_dir, embedder=embedder))
    report = make_docx(tmp_path / "三明.docx", title=TITLE, paragraphs=PARAGRAPHS, table=None)
    add_reports([report], seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By

    from tests.web.test_browser import wait

    driver = make_browser()
    driver.get(url)
    wait(driver, WAIT).until(lambda d: "2 份报告" in d.find_element(By.CSS_SELECTOR, "#status").text)
    with httpx.Client(timeout=60) as http:
        assert ANSWER in http.post(f"{url}api/v1/ask", json={"question": QUESTION}).json()["answer"]


def test_two_adds_at_once_are_serialised_and_both_published(staff_app, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    url, seeds, _, _, desk = staff_app
    putian = "莆田市总工会工作纪实\n\n——福建省莆田市工会工作纪实\n\n莆田市总工会全年建成职工之家64个，惠及职工2.3万人。\n"
    files = {
        "三明.docx": make_docx(
            tmp_path / "三明.docx", title=TITLE, paragraphs=PARAGRAPHS, table=None
        ).read_bytes(),
        "莆田.txt": putian.encode(),
    }
    with httpx.Client(timeout=60) as staff:
        assert staff.post(f"{url}login", data={"username": STAFF[0], "password": STAFF[1]}).status_code == 200
        uploads = [
            {"path": staff.post(f"{url}gradio_api/upload", files={"files": (n, d)}).json()[0]}
            for n, d in files.items()
        ]
        login = session_token(staff)
    with ThreadPoolExecutor(2) as pool:
        messages = list(pool.map(lambda u: desk.add(u, {}, {}, login), uploads))
    assert all(m.startswith("已添加") for m in messages), messages
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == [
        "001_nanping.txt",
        "三明.docx",
        "莆田.txt",
    ]
    assistant = desk.live.current
    assert (
        ANSWER in assistant.ask(QUESTION).answer and "64个" in assistant.ask("莆田建成职工之家多少个").answer
    )


def test_a_removed_report_is_restored_from_the_trash_with_the_button(staff_app, tmp_path):
    url, seeds, index_dir, _, desk = staff_app
    putian = "莆田市总工会工作纪实\n\n——福建省莆田市工会工作纪实\n\n莆田市总工会全年建成职工之家64个，惠及职工2.3万人。\n"
    (seeds / "002_putian.txt").write_text(putian, encoding="utf-8")
    message = desk.remove("001_nanping.txt", STAFF[0])
    assert message.startswith("已删除") and "回收站" in message, message
    assert [name for _, name in desk.trash_names()] == ["001_nanping.txt"]
    assert [s["source"] for s in desk.live.current.sources()] == ["002_putian.txt"]
    message = desk.restore("001_nanping.txt", STAFF[0])
    assert message.startswith("已恢复"), message
    assert desk.trash_names() == [] and (seeds / "001_nanping.txt").is_file()
    with httpx.Client(timeout=60, auth=STAFF) as http:
        reports = http.get(f"{url}api/v1/reports").json()
    assert sorted(r["source"] for r in reports) == ["001_nanping.txt", "002_putian.txt"]
    assert desk.restore("001_nanping.txt", STAFF[0]).startswith("⚠️ 没有恢复")
