"""Reading-order repair: the scrambled reports are put back together, and a generated shuffle is restored."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index.corpus import build_passages
from index.text.layout import classify, split_lines
from index.text.normalise import compact
from index.text.repair import PhraseBook, repair_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return build_passages(SEEDS)


@pytest.mark.parametrize(
    "joined",
    [
        "为6.8万人提供就业服务",  # 002: the continuation stands about twenty paragraphs earlier
        "被福建省总工会、福建省安全生产监督管理局评为2017年度",  # 002: about twenty paragraphs later
        "改革“五小”创新活动做法",  # 002
        "单亲困难女职工合计25个单位，发放慰问金62.8万元",  # 002
        "成立金蓝领技术协作创新团队,一方面帮助企业克服技术难题",  # 004: the continuation stands before it
        "全市有30万人次职工参加各类劳动竞赛,有135家单位荣获",  # 004
        "技能培训、用工信息和创业扶持等",  # 004
        "5个单位获全国“五一劳动奖状”",  # 000: an ordinary page break
        "开展创建工人先锋号活动",  # 001
        "参与地方法院审理劳动争议诉讼案336起",  # 001
    ],
)
def test_broken_sentences_are_joined_in_one_passage(corpus, joined):
    passages, _ = corpus
    assert any(compact(joined) in compact(p.text) for p in passages), joined


def test_joins_are_listed_and_cite_every_original_paragraph(corpus):
    passages, report = corpus
    assert len(report.joins) >= 15
    moved = [j for _, j in report.joins if not j.adjacent]
    assert len(moved) >= 6
    holder = next(p for p in passages if "为6.8万人提供就业服务" in p.text)
    assert len({part.paragraph for part in holder.parts}) == 2


def test_no_heading_caption_or_label_is_joined(corpus):
    _, report = corpus
    kinds = {}
    for article in report.articles:
        for block in article.blocks:
            kinds[(article.source, block.paragraph)] = block.kind
    for source, join in report.joins:
        assert kinds[(source, join.end_paragraph)] in ("body", "short")
        assert kinds[(source, join.start_paragraph)] == "body"


def test_a_fragment_without_a_confident_partner_stays_and_is_listed(corpus):
    _, report = corpus
    ends = [compact(b.text)[-6:] for _, b in report.unpaired_ends]
    assert any(e.endswith("龙岩市工人") for e in ends)  # the last line of file 000 is cut off


# --- a generated test: shuffle a clean article, break sentences, repair ---------------------------------

SENTENCES = [
    "市总工会全年举办职工技能竞赛42场，参赛职工达到1.6万人次。",
    "各级工会筹集帮扶资金3200万元，慰问困难职工家庭5400户。",
    "全市新建职工书屋118家，其中省级示范书屋26家。",
    "工资集体协商覆盖企业9870家，覆盖职工61.2万人。",
    "组织劳模疗休养活动15期，参加劳模和先进工作者680名。",
    "市总工会联合市人社局开展“春风行动”，提供就业岗位2.3万个。",
    "全市建成“妈妈小屋”96个，服务女职工3.5万人次。",
    "职工医疗互助参保人数达到28.7万人，发放互助金1960万元。",
    "开展“安康杯”竞赛活动，参赛企业2150家，覆盖职工24万人。",
    "基层工会组建率达到93.5%，职工入会率达到91.2%。",
    "金秋助学活动资助困难职工子女820名，发放助学金246万元。",
    "市总工会命名市级“工人先锋号”150个，表彰五一劳动奖章获得者60名。",
]


def _broken_article(seed: int) -> tuple[str, list[str]]:
    """Paragraphs of three sentences, some broken at a random character (as at a page or column end),
    with the pieces shuffled; returns the article text and the paragraphs that were broken."""
    rng = random.Random(seed)
    sentences = SENTENCES[:]
    rng.shuffle(sentences)
    paragraphs = ["".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    pieces: list[str] = []
    truths: list[str] = []
    for paragraph in paragraphs:
        if rng.random() < 0.75:
            cut = rng.randint(10, len(paragraph) - 10)
            while paragraph[cut - 1] in "。，、" or paragraph[cut] in "。，、":
                cut += 1  # a break right at a mark leaves nothing to repair
            pieces += [paragraph[:cut], paragraph[cut:]]
            truths.append(paragraph)
        else:
            pieces.append(paragraph)
    rng.shuffle(pieces)
    body = "\n\n".join(pieces)
    return f"测试市工会年度工作综述\n\n——某某市总工会工作纪实\n\n{body}\n", truths


def test_shuffled_broken_article_is_restored():
    restored = total = 0
    for seed in range(40):
        text, truths = _broken_article(seed)
        blocks = classify(split_lines(text))
        result = repair_article(blocks, PhraseBook([b.text for b in blocks]))
        units = {compact("".join(b.text for b in unit)) for unit in result.units}
        restored += sum(1 for t in truths if compact(t) in units)
        total += len(truths)
    rate = restored / total
    print(f"shuffle test: {restored}/{total} broken sentences restored ({rate:.0%})")
    assert rate >= 0.75


def test_long_report_repair_is_bounded_and_never_joins_table_cells():
    from tests.documents import cut_report

    text, cut = cut_report(pages=12)
    # A table between paragraphs: its rows end without a mark and open with figures, yet stay rows.
    rows = ["项目 | 数量 | 比上年", "职工书屋 | 136个 | 12", "户外劳动者驿站 | 52个 | 7"]
    lines = text.split("\n\n")
    at = next(i for i in range(20, len(lines)) if lines[i - 1].endswith("。"))
    text = "\n\n".join(lines[:at] + rows + lines[at:])
    blocks = classify(split_lines(text))
    result = repair_article(blocks, PhraseBook([b.text for b in blocks]))
    units = ["".join(b.text for b in unit) for unit in result.units]
    assert sum(1 for p in cut if p in units) >= 0.9 * len(cut)
    assert all(row in units for row in rows)
    assert not any(
        j.end_words.endswith(rows[-1][-12:]) or j.start_words == rows[0][:12] for j in result.joins
    )
