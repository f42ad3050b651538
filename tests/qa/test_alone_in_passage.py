"""The abstention stage's alone_in_passage: the chosen answer is the only one of its kind in its passage.

On a short report written here (a real place, invented figures and name).
"""

from __future__ import annotations

import pytest

from qa.extract import answer_keys, candidates
from qa.question import parse
from qa.scorer import abstain_features, alone_in_passage
from tests.qa.test_abstain import SHAOGUAN
from tests.qa.test_trust_classes import one_report


@pytest.fixture(scope="module")
def shaoguan(tmp_path_factory, embedder):
    return one_report(tmp_path_factory, embedder, "502_shaoguan.txt", SHAOGUAN)


def _pick(assistant, question):
    q = parse(question, prefer=assistant.index.place_codes())
    found = candidates(q, assistant.retrieve(q, 3), assistant.weight)
    feats, keys = [c.features for c in found], answer_keys(found)
    n, _ = assistant.scorer.choose(feats, keys)
    return found[n].text, alone_in_passage(feats, keys, n)


def test_a_name_alone_of_its_kind_is_alone_and_a_figure_among_figures_is_not(shaoguan):
    name, alone = _pick(shaoguan, "韶关市总工会主席是谁？")
    assert name == "陈志强" and alone
    figure, alone = _pick(shaoguan, "韶关建成了多少家职工书屋？")
    assert figure == "58家" and not alone  # 132个 stands beside it


def test_alone_is_a_stage_feature_only_when_true():
    assert abstain_features({}, 0.5, 0.1, 2, alone=True)["alone_in_passage"] == 1.0
    assert "alone_in_passage" not in abstain_features({}, 0.5, 0.1, 2)


def test_only_other_answers_of_the_same_kind_count():
    figure, other_figure, name = {"kind:number": 1.0}, {"kind:number": 1.0}, {"kind:person": 1.0}
    assert alone_in_passage([figure, name], ["58家", "陈志强"], 0)
    assert not alone_in_passage([figure, other_figure], ["58家", "132个"], 0)
    assert alone_in_passage([figure, figure], ["58家", "58家"], 0)  # the same answer written twice
    far = {"kind:number": 1.0, "passage_rank": 2.0}
    assert alone_in_passage([figure, far], ["58家", "132个"], 0)  # another passage's figure
