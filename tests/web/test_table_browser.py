"""A question across reports in a real headless Chromium: the table in the reply, its bar chart, the CSV button."""

from __future__ import annotations

import pytest

pytest.importorskip("selenium")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from tests.web.test_browser import WAIT, ask, open_chat, replies, wait  # noqa: E402


def _cells(driver) -> list[list[str]]:
    """The last reply's table, read afresh (the chat re-renders its messages as the page updates: a row read
    while it is replaced goes stale, and is read again)."""
    for _ in range(10):
        try:
            rows = replies(driver)[-1].find_elements(By.CSS_SELECTOR, "table.qa-table tbody tr")
            return [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in rows]
        except StaleElementReferenceException:
            continue
    return []


def _shown(driver, element_id: str) -> bool:
    found = driver.find_elements(By.ID, element_id)
    return bool(found) and found[0].is_displayed()


def test_a_comparison_shows_its_table_chart_and_csv(app_url, make_browser):
    driver = make_browser()
    box = open_chat(driver, app_url)
    ask(driver, box, "各地工会组建率对比")
    wait(driver, WAIT).until(lambda d: len(_cells(d)) == 4)
    cells = _cells(driver)
    assert {(c[0], c[2]) for c in cells} == {
        ("南平", "95%以上"),
        ("衢州", "95%以上"),
        ("漳州", "90.7%"),
        ("龙岩", "报告中未提及"),
    }
    views = replies(driver)[-1].find_elements(By.CSS_SELECTOR, "table.qa-table .qa-view")
    assert len(views) == 3  # one per stated row
    # The bar chart and the CSV button under the chat show this table.
    wait(driver, WAIT).until(lambda d: _shown(d, "table-bar") and _shown(d, "table-csv"))
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#table-bar canvas, #table-bar svg"))
    assert "CSV" in driver.find_element(By.ID, "table-csv").text
    # 查看原文 in a row opens the report at that passage.
    replies(driver)[-1].find_elements(By.CSS_SELECTOR, "table.qa-table .qa-view")[0].click()
    wait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#original mark.qa-orig-hit"))
    # A single-figure question hides them again.
    ask(driver, box, "南平工会组建率是多少")
    wait(driver, WAIT).until(lambda d: not _shown(d, "table-csv") and not _shown(d, "table-bar"))


def test_a_list_shows_every_item(app_url, make_browser):
    driver = make_browser()
    box = open_chat(driver, app_url)
    ask(driver, box, "衢州工会有哪些创新品牌")
    wait(driver, WAIT).until(lambda d: len(replies(d)[-1].find_elements(By.CSS_SELECTOR, ".qa-item")) == 7)
    items = [i.text for i in replies(driver)[-1].find_elements(By.CSS_SELECTOR, "ol.qa-items li .qa-item")]
    assert items[0] == "志愿服务队投身“五水共治”" and items[-1] == "“工会主席大讲堂”致力工会自身建设"
