"""Byline cards (index.text.bylines) on short reports written here: real places, invented people and dates."""

from __future__ import annotations

from index.corpus import build_passages
from index.text.articles import split_articles
from index.text.bylines import cards
from index.text.layout import classify, split_lines
from index.text.normalise import compact
from tests.sample_reports import PUTIAN_PAGE

# A name that ends in 文 under the subtitle, a role-labelled byline at the end, no date.
SANMING = """绿水青山间的娘家人

——福建省三明市工会工作纪实

李建文

三明市总工会组织技能培训班120期，参训职工2.6万多名。

■本版撰文:吴晓燕
"""

PLAIN = """宁德市总工会2021年工作报告

2021年，宁德市总工会新建基层工会1200多家，全市工会会员达到131万多人。
"""


def _cards(text: str, name: str = "a.txt") -> list:
    blocks = classify(split_lines(text))
    header = next((b for b in blocks if b.kind == "header"), None)
    return [c for article in split_articles(name, blocks) for c in cards(article, header)]


def test_byline_and_page_date_make_one_card_with_the_title():
    first = _cards(PUTIAN_PAGE)[0]
    assert first.text == (
        "《莆田工会：让职工幸福感更足——福建省莆田市总工会工作侧记》"
        "作者：陈志远 林美华；刊登日期：2022年5月18日 星期三。"
    )


def test_a_photo_credit_is_said_with_its_caption():
    photo = _cards(PUTIAN_PAGE)[1]
    assert photo.text.endswith("照片：莆田市总工会为一线环卫工人送清凉（郑丽君 摄）。")
    assert [b.text for b in photo.blocks] == ["莆田市总工会为一线环卫工人送清凉。", "郑丽君 摄"]


def test_names_keep_their_last_character_and_roles_are_named():
    (card,) = _cards(SANMING)
    assert "作者：李建文；" in card.text or "作者：李建文。" in card.text
    assert "作者：吴晓燕（本版撰文）" in card.text


def test_an_article_with_no_byline_credit_or_dateline_has_no_card():
    assert _cards(PLAIN) == []


def test_card_passages_point_at_the_lines_they_say(tmp_path):
    (tmp_path / "101_putian.txt").write_text(PUTIAN_PAGE, encoding="utf-8")
    passages, _ = build_passages(tmp_path)
    raw = PUTIAN_PAGE
    for p in (p for p in passages if p.kind == "byline"):
        assert p.city == "莆田" and p.year == 2022
        for part in p.parts:
            line = compact(raw[part.start : part.end]).lstrip("■3")
            assert line.removesuffix("摄").rstrip("。") in compact(p.text), (line, p.text)
    body = [p for p in passages if p.kind != "byline"]
    assert not any("陈志远" in p.text or "郑丽君" in p.text for p in body)
