"""The cleaning pipeline on the real reports: page breaks, articles, captions, cities, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.corpus import build_passages
from index.passage import INFERRED_DATES
from index.text.normalise import compact

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return build_passages(SEEDS)


def _texts(passages):
    return [compact(p.text) for p in passages]


def test_page_break_splits_are_merged(corpus):
    passages, _ = corpus
    texts = _texts(passages)
    assert any("5个单位获全国“五一劳动奖状”" in t for t in texts)
    assert any("196家市级“工人先锋号”" in t for t in texts)
    assert not any(t.startswith("单位获全国") for t in texts)


def test_file_000_holds_two_articles_with_their_own_city(corpus):
    _, report = corpus
    in_000 = [a for a in report.articles if a.source.startswith("000_")]
    assert [a.city for a in in_000] == ["漳州", "龙岩"]
    assert in_000[0].title.startswith("同心促发展")
    assert in_000[1].title.startswith("真心真情 真帮真扶")
    passages, _ = corpus
    longyan = [p for p in passages if p.source.startswith("000_") and p.city == "龙岩"]
    assert longyan and all(p.title.startswith("真心真情") for p in longyan)


def test_every_article_has_its_place_and_a_year_marked_by_what_dates_it(corpus):
    _, report = corpus
    cities = {(a.source[:3], a.number): a.city for a in report.articles}
    assert cities == {
        ("000", 0): "漳州",
        ("000", 1): "龙岩",
        ("001", 0): "南平",
        ("002", 0): "龙岩",
        ("003", 0): "漳州",
        ("004", 0): "衢州",
    }
    chains = {(a.source[:3], a.number): a.place_chain for a in report.articles}
    assert chains[("004", 0)] == ("衢州", "浙江") and chains[("002", 0)] == ("龙岩", "福建")
    dated = {(a.source[:3], a.number): a for a in report.articles}
    assert dated[("001", 0)].year == 2013 and dated[("001", 0)].date_from == "header"
    # Nothing prints a date on the others (no header, dateline or dated title): a year read from their text is
    # marked inferred and carries the sentence of that article that gives it.
    for key, article in dated.items():
        if key == ("001", 0) or article.year is None:
            continue
        assert article.date_from in INFERRED_DATES and article.date_evidence
        assert compact(article.date_evidence) in compact("".join(b.text for b in article.blocks))


def test_bylines_dates_and_photo_credits_become_cards(corpus):
    passages, _ = corpus
    cards = {p.city: p.text for p in passages if p.kind == "byline" and "作者" in p.text}
    assert "作者：黄益水 黄子泉 章世飙" in cards["南平"] and "刊登日期：2013年10月15日" in cards["南平"]
    assert "作者：阮向民" in cards["衢州"]
    assert any("照片：龙岩市总工会帮助返乡农民工义务订车票（黄秀珍 摄）" in p.text for p in passages)


def test_captions_are_kept_and_marked_headers_labels_bylines_dropped(corpus):
    passages, _ = corpus
    captions = [p for p in passages if p.kind == "caption"]
    assert any("张淑云" in p.text and p.city == "南平" for p in captions)
    texts = _texts(passages)
    for noise in ("2013年10月15日星期二", "黄秀珍摄", "新闻聚焦:", "新闻延伸:", "■黄益水", "本版撰文"):
        assert not any(t == compact(noise) or t.startswith(compact(noise)) for t in texts), noise
    assert not any("#" in p.text or "**" in p.text for p in passages)


def test_no_two_passages_are_duplicates_and_every_copy_is_listed(corpus):
    passages, report = corpus
    keys = [compact(p.text) for p in passages]
    assert len(keys) == len(set(keys))
    assert report.exact_duplicates + report.near_duplicates >= 8
    listed = {(loc.source, loc.paragraph) for p in passages for loc in p.also_in}
    for _, dropped, _ in report.merges:
        source, paragraph = dropped.split(" ¶")
        assert (source, int(paragraph)) in listed


def test_repeated_longyan_paragraph_keeps_all_locations(corpus):
    passages, _ = corpus
    holder = [p for p in passages if "196家市级“工人先锋号”" in p.text]
    assert len(holder) == 1
    assert len({loc.paragraph for loc in holder[0].also_in}) >= 3


def test_passages_are_cut_to_size_with_offsets_into_the_file(corpus):
    passages, _ = corpus
    assert max(len(p.text) for p in passages) <= 320
    raw = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for p in passages:
        if p.kind == "byline":
            continue  # a card says its lines in its own words: tests/index/test_bylines.py
        rebuilt = "".join(raw[part.source][part.start : part.end] for part in p.parts)
        assert compact(rebuilt) == compact(p.text), p.id
