"""The passage that answers is found: a report that opens on its text (no title line) has that paragraph
searched, a question counting towns (多少个镇(街道)) names no town, and a province's 各市县 with no city
report compares nothing. Reports written here (real place
names, invented figures)."""

from __future__ import annotations

import pytest

from qa.question import parse
from tests.sample_reports import assistant_over

# A news item with no title line: its first paragraph holds the figures.
DONGYING = """3月8日，东营市总工会联合市妇联启动2025年女职工技能竞赛，全市共有86家企业的4300余名女职工报名参赛。

今年，东营市各级工会将围绕重点项目开展劳动竞赛，设置技能类、创新类两大类竞赛项目，组织职工参加技能培训。

东营市总工会还将开展“送技能到企业”活动，推广“师带徒”做法，激发职工学技术的热情。
"""

CIXI = """慈溪市总工会2014年工作总结

2014年，慈溪市总工会新建基层工会126家，新发展会员1.2万人。

全市20个镇(街道)总工会全部建成职工服务中心，服务职工3.5万人次。

在观海卫镇试点成立快递行业联合工会，首批入会快递员86人。
"""


# A province's plan: 各市县 is whom it guides, not places to compare (no report is about a city of Hainan).
HAINAN = """海南省总工会2025年工作要点

2025年，海南省总工会将指导各市县工会开展职工健步走活动25场以上，组织职工书屋阅读分享会40场。

全省各级工会将为一线职工送清凉，计划慰问职工8万人次。
"""


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory, embedder):
    reports = {"601_dongying.txt": DONGYING, "602_cixi.txt": CIXI, "603_hainan.txt": HAINAN}
    return assistant_over(tmp_path_factory.mktemp("recall"), embedder, reports)


def test_a_report_that_opens_on_its_text_answers_from_its_first_paragraph(two_reports):
    answer = two_reports.ask("2025年东营女职工技能竞赛有多少名女职工报名参赛？")
    assert answer.answer is not None and "4300余名" in answer.answer
    assert "4300余名" in answer.citations[0].text


def test_a_count_of_towns_names_no_town(two_reports):
    assert parse("2014年慈溪有多少个镇(街道)总工会？").units == ()
    assert parse("慈溪市在哪个镇试点成立了快递行业联合工会？").units == ()
    assert parse("慈溪市观海卫镇总工会有多少名会员？").units == ("观海卫",)  # a town named is still one
    answer = two_reports.ask("2014年慈溪有多少个镇(街道)总工会？")
    assert answer.answer is not None and "20个" in answer.answer


def test_a_provinces_own_units_compare_nothing_when_no_report_is_about_them(two_reports):
    answer = two_reports.ask("2025年海南省总工会要指导各市县工会开展多少场职工健步走活动？")
    assert answer.table is None  # before: a table of one row stating nothing, and no passage searched
    assert answer.citations and "25场以上" in answer.citations[0].text
