"""Which sentence of a city's report may answer for a district inside it (issue 18, branch `decline`).

A short report written here (real place names, invented figures): a passage under a district's heading whose
sentence names no place answers for that district; a sentence of the whole city (全市…) never does.
"""

from __future__ import annotations

import pytest

from tests.sample_reports import assistant_over

NINGDE = """宁德市总工会工作回顾

——福建省宁德市总工会2023年工作回顾

【组织建设】2023年，宁德市新建基层工会96个，发展会员8700人。

【蕉城区】蕉城区总工会开展劳模疗休养活动。组织42名劳模及一线骨干参观学习，行程三天。

【福安市】福安市总工会举办专场招聘会。全市新建职工书屋31家，配送图书6000册。
"""


@pytest.fixture(scope="module")
def ningde(tmp_path_factory, embedder):
    return assistant_over(tmp_path_factory.mktemp("ningde"), embedder, {"510_ningde.txt": NINGDE})


def test_a_sentence_naming_no_place_answers_for_the_district_its_passage_names(ningde):
    got = ningde.ask("蕉城区总工会组织多少名劳模参观学习？", k=3)
    assert got.answer is not None and "42名" in got.answer, got


def test_a_sentence_of_the_whole_city_does_not_answer_for_a_place_inside_it(ningde):
    assert ningde.ask("福安市新建了多少家职工书屋？", k=3).answer is None


def test_the_sentence_check_reads_places_and_wholes():
    from types import SimpleNamespace

    from qa.scope import scope_for

    scope = scope_for(["350902"], ["350900"])  # 蕉城区 asked, only 宁德市's report
    passage = SimpleNamespace(place="350900")  # sentence_ok reads only the article's place
    assert scope.sentence_ok(passage, "组织42名劳模参观学习。")
    assert scope.sentence_ok(passage, "蕉城区总工会组织42名劳模参观学习。")
    assert not scope.sentence_ok(passage, "全市组织420名劳模参观学习。")
    assert not scope.sentence_ok(passage, "福安市组织42名劳模参观学习。")
