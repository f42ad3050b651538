"""A scanned 10-page PDF and a phone photo of a page added from the web page (real Tesseract, real model, a
real headless Chromium): OCR's page N of M shown while the file is read, then answers from what it read."""

from __future__ import annotations

import pytest

from tests import documents as docs
from tests.web.test_reports import WAIT, ask_in_chat, login

pytestmark = pytest.mark.skipif(docs.cjk_font_file() is None, reason="no Chinese font to print test pages")
OCR_WAIT = 600  # seconds for OCR of ten pages on two busy cores (3-20 s a page: eval/READERS.md)


def test_staff_add_a_scan_and_a_photo_from_the_page_and_ask_them(staff_app, make_browser, tmp_path):
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    from tests.web.test_browser import wait

    url = staff_app[0]
    # Other seeds than the command-line test's: these pages are read by OCR here, not taken from its cache.
    scan = docs.scanned_report(tmp_path / "福鼎市总工会工作报告.pdf", pages=10, seed=11)
    photo = docs.photo_of_a_page(tmp_path / "霞浦工作报告.jpg", seed=9)
    driver = make_browser()
    login(driver, url)

    def add(path, shown: str) -> None:
        tab = (By.XPATH, "//button[@role='tab' and contains(., '报告管理')]")
        wait(driver, WAIT).until(EC.element_to_be_clickable(tab)).click()  # shown once the role is read
        file_input = wait(driver, WAIT).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "#report-file input[type='file']")
        )
        file_input.send_keys(str(path))
        title = driver.find_element(By.CSS_SELECTOR, "#report-title textarea, #report-title input")
        if shown:  # while OCR reads the file the page says which page it is on
            wait(driver, OCR_WAIT, poll=0.2).until(lambda d: shown in d.page_source)
        wait(driver, OCR_WAIT).until(lambda d: title.get_attribute("value"))
        driver.find_element(By.CSS_SELECTOR, "#report-add").click()
        message = driver.find_element(By.CSS_SELECTOR, "#report-message")
        wait(driver, OCR_WAIT).until(lambda d: "已添加" in message.text or "⚠️" in message.text)
        assert "已添加" in message.text, message.text

    def ask(question: str):
        driver.find_element(By.XPATH, "//button[@role='tab' and contains(., '问答')]").click()
        return ask_in_chat(driver, question)

    add(scan, "OCR 识别第")
    reply = ask(docs.SCAN_QUESTION)
    assert docs.SCAN_ANSWER in reply.find_element(By.CSS_SELECTOR, ".qa-answer-text").text
    assert "OCR识别 第7页" in reply.text

    driver.get(url)  # a fresh page (still logged in) for the next upload
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#question textarea"))
    add(photo, "")  # one page: its only step comes as the read ends (the command-line test sees it)
    reply = ask(docs.PHOTO_QUESTION)
    assert docs.PHOTO_ANSWER in reply.find_element(By.CSS_SELECTOR, ".qa-answer-text").text
    assert "OCR识别" in reply.text
