"""Issue 18: a clause that names no unit is no answer to 哪家单位 / 哪两家企业 (qa.head_fit).

Questions are parsed with qa.question.parse; answers are invented sentences about real places.
"""

from __future__ import annotations

import pytest

from qa import head_fit
from qa.question import parse


@pytest.mark.parametrize(
    "question, answer",
    [
        (
            "温州市总工会主席带队走访了哪两家企业的困难职工？",
            "市人大常委会副主任、市总工会主席陈某带队到瓯海",
        ),
        ("发言的职工家属来自哪个单位？", "嘉兴市总工会领导在慰问金发放仪式上向职工家属送上慰问"),
    ],
)
def test_a_clause_without_the_asked_body_does_not_fit(question: str, answer: str) -> None:
    assert not head_fit.fits(parse(question), answer)


@pytest.mark.parametrize(
    "question, answer",
    [
        ("温州市总工会主席带队走访了哪两家企业的困难职工？", "温州瓯海机械制造有限公司和龙湾电器厂"),
        ("湖州的劳模在哪家单位当技能指导教师？", "湖州南太湖电力建设集团有限公司"),  # 单位 -> 公司, 集团
        ("发言的职工家属来自哪个单位？", "嘉兴市城市客运中心"),  # short: a name, kept
        ("温州市总工会举办职工活动用的是什么主题？", "劳动创造幸福·奋斗成就梦想——建功新时代"),  # slogan
        (
            "温州市总工会的职工之家是什么时候建成的？",
            "2021年温州市总工会在市区建成了职工之家",
        ),  # no asked noun
    ],
)
def test_names_of_the_asked_kind_and_other_questions_fit(question: str, answer: str) -> None:
    assert head_fit.fits(parse(question), answer)
