"""The trust measure "answers from another place's report" (eval/trust.py): what counts, what does not."""

from __future__ import annotations

import pytest

from eval.gold import GoldItem
from eval.metrics import Score
from eval.runner import QuestionResult
from eval.trust import wrong_place
from qa.types import Answer, Citation


def _result(question: str, city: str, chain: tuple[str, ...], place: str, text: str) -> QuestionResult:
    cite = Citation(1, "p1", "r.txt", "t", city, None, 1, text, 1.0, place=place, place_chain=chain)
    answer = Answer(question, "12家", text, (cite,))
    item = GoldItem("q", question, ("12家",), ("r.txt",), text, "number")
    return QuestionResult(item, answer, Score(1, True, True, False, False), 0.0)


@pytest.mark.parametrize(
    "question, city, chain, place, text, wrong",
    [
        # 衢州's report answering for its 衢江区 from a sentence that names it: the place's own figure.
        ("衢江区建了多少家驿站？", "衢州", ("衢州", "浙江"), "330800", "衢江区建成驿站12家。", False),
        # the same report, a sentence that does not name 衢江: another place's figure.
        ("衢江区建了多少家驿站？", "衢州", ("衢州", "浙江"), "330800", "全市建成驿站12家。", True),
        # another city's report altogether.
        ("衢江区建了多少家驿站？", "漳州", ("漳州", "福建"), "350600", "衢江区建成驿站12家。", True),
        ("衢州建了多少家驿站？", "衢州", ("衢州", "浙江"), "330800", "全市建成驿站12家。", False),
    ],
)
def test_an_answer_from_another_places_report(question, city, chain, place, text, wrong):
    assert (
        wrong_place(_result(question, city, chain, place, text), {"衢州", "漳州", "衢江区", "衢江"}) is wrong
    )
