"""The web chat in a real headless Chromium: ask, follow up, examples, clear, phone width, hostile reports."""

from __future__ import annotations

import statistics
import time

import pytest

pytest.importorskip("selenium")
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 60  # seconds for the page or an answer before the test fails
NANPING = "001_7f7e28910d8affd7.txt"


def wait(driver, seconds: float = WAIT, poll: float = 0.5) -> WebDriverWait:
    """A wait whose condition is read again when an element it holds goes stale: the chat re-renders its
    messages and panels as the page updates, so an element found a moment ago may already be replaced."""
    return WebDriverWait(
        driver, seconds, poll_frequency=poll, ignored_exceptions=(StaleElementReferenceException,)
    )


def open_chat(driver, url: str):
    driver.get(url)
    return wait(driver, WAIT).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))


def replies(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#chat .qa-reply, #chat .qa-error")


def ask(driver, box, question: str) -> tuple[object, float]:
    """Type a question, press enter; returns the new reply element and the seconds from enter to it shown."""
    before = len(replies(driver))
    box.send_keys(question)
    started = time.perf_counter()
    box.send_keys(Keys.ENTER)
    wait(driver, WAIT, poll=0.02).until(lambda d: len(replies(d)) > before)
    elapsed = time.perf_counter() - started
    reply = replies(driver)[-1]
    wait(driver, WAIT).until(lambda d: reply.is_displayed())
    return reply, elapsed


def test_asking_in_the_browser_shows_answer_and_highlighted_citation(app_url, make_browser, capsys):
    driver = make_browser()
    box = open_chat(driver, app_url)
    reply, first = ask(driver, box, "南平工会组建率是多少")
    assert "95%以上" in reply.find_element(By.CSS_SELECTOR, ".qa-answer-text").text
    cite = reply.find_element(By.CSS_SELECTOR, ".qa-cite")
    assert NANPING in cite.text and "南平" in cite.text
    marks = cite.find_elements(By.CSS_SELECTOR, "mark.qa-ans")
    assert marks and "95%以上" in marks[0].text
    assert box.get_attribute("value") == ""

    # A follow-up keeps the conversation; then a few more questions for the timing figures.
    follow, t_follow = ask(driver, box, "那龙岩呢？")
    assert "龙岩" in follow.find_element(By.CSS_SELECTOR, ".qa-cite .qa-meta").text
    timings = [first, t_follow]
    # Two Zhangzhou reports disagree on membership: each value is shown with its report.
    zhangzhou, seconds = ask(driver, box, "漳州工会会员有多少")
    timings.append(seconds)
    variants = zhangzhou.find_elements(By.CSS_SELECTOR, ".qa-variants li")
    assert len(variants) >= 2 and all("漳州" in v.text and ".txt" in v.text for v in variants)
    for question in ("衢州有多少支职工技术服务队", "南平工会组建率是多少"):
        timings.append(ask(driver, box, question)[1])
    with capsys.disabled():
        print(
            f"\nbrowser, enter to answer shown: first {first:.2f}s, "
            f"median {statistics.median(timings):.2f}s over {len(timings)} questions "
            f"({', '.join(f'{t:.2f}' for t in timings)})"
        )
    assert len(driver.find_elements(By.CSS_SELECTOR, "#chat .qa-q")) == 5


def test_examples_clear_and_errors_in_the_chat(app_url, make_browser):
    driver = make_browser()
    box = open_chat(driver, app_url)
    example = driver.find_elements(By.CSS_SELECTOR, "#examples button")[0]
    assert example.text == "南平工会组建率是多少"
    example.click()
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#chat .qa-answer-text"))
    assert "95%以上" in driver.find_element(By.CSS_SELECTOR, "#chat .qa-answer-text").text

    reply, _ = ask(driver, box, "   ")
    assert "请输入问题" in reply.text and "qa-error" in reply.get_attribute("class")

    driver.find_element(By.CSS_SELECTOR, "#clear").click()
    wait(driver, WAIT).until(lambda d: not replies(d))
    # After clearing, a follow-up has no earlier city to lean on.
    reply, _ = ask(driver, box, "南平工会组建率是多少")
    assert "95%以上" in reply.text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#chat .qa-q")) == 1


def test_reads_on_a_phone_width_screen(app_url, make_browser):
    driver = make_browser(width=390, height=844, mobile=True)
    box = open_chat(driver, app_url)
    reply, _ = ask(driver, box, "南平工会组建率是多少")
    assert "95%以上" in reply.text
    width, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, f"page is {width}px wide on a {inner}px screen"
    answer = reply.find_element(By.CSS_SELECTOR, ".qa-answer-text")
    assert answer.rect["x"] >= 0 and answer.rect["x"] + answer.rect["width"] <= inner


XSS_REPORT = """# 携手奋进新时代
## ——福建省厦门市工会工作纪实

厦门市总工会扎实推进职工书屋建设。全市已建成职工书屋128家，覆盖职工12万人。<img src=x onerror=alert(1)> 详见<a href="javascript:alert(2)">链接</a>与[点我](javascript:alert(3))。

厦门市各级工会开展劳动竞赛，参赛职工达5万人次，推动企业创新发展和职工技能提升。

厦门市总工会实施职工疗休养计划，全年组织疗休养活动60期，惠及一线职工3000人次。

厦门市总工会开展金秋助学活动，资助困难职工子女420名，发放助学金210万元。

厦门市各级工会推进厂务公开民主管理，建立职工代表大会制度的企业达到2600家。

厦门市总工会举办职工技能大赛，设立比赛项目18个，评选技术能手75名。

厦门市工会加强新就业形态劳动者服务，建成户外劳动者服务站点300个。
"""


@pytest.fixture(scope="module")
def xss_assistant(tmp_path_factory, embedder):
    from index.build import build_index
    from qa import Assistant

    root = tmp_path_factory.mktemp("xss")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "900_xss.txt").write_text(XSS_REPORT, encoding="utf-8")
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder, seeds_dir=seeds)


def test_a_report_with_markup_renders_as_text(xss_assistant, serve_app, make_browser):
    url = serve_app(xss_assistant)
    driver = make_browser()
    box = open_chat(driver, url)
    reply, _ = ask(driver, box, "厦门建成职工书屋多少家")
    assert "128家" in reply.text
    passages = " ".join(p.text for p in reply.find_elements(By.CSS_SELECTOR, ".qa-passage"))
    assert "<img src=x onerror=alert(1)>" in passages
    assert '<a href="javascript:alert(2)">链接</a>' in passages and "[点我](javascript:alert(3))" in passages
    chat = driver.find_element(By.CSS_SELECTOR, "#chat")
    assert not chat.find_elements(By.CSS_SELECTOR, "img[src='x'], img[onerror]")
    assert not driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    # The question box is hostile too.
    reply, _ = ask(driver, box, "<img src=x onerror=alert(4)>厦门职工书屋")
    assert "<img src=x onerror=alert(4)>" in driver.find_elements(By.CSS_SELECTOR, "#chat .qa-q")[-1].text
    assert not chat.find_elements(By.CSS_SELECTOR, "img[src='x']")
    time.sleep(0.5)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
