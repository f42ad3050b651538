"""Metric arithmetic of eval/ on hand-built Answer and Citation objects (the subject is the metric code, not the model)."""

from __future__ import annotations

import json

import pytest

from eval import metrics
from eval.gold import GoldItem, load_gold, parse_line
from eval.report import compare_table, plot_compare, render
from eval.runner import QuestionResult, RunResult, run_questions
from qa.types import Answer, Citation

EVIDENCE = "全市338家工会驿站，89个“妈妈小屋”"
PASSAGE = "服务阵地展现新面貌。" + EVIDENCE + "，28个医生休息室。"


def cite(
    rank: int,
    text: str = "与本题无关的一段话。",
    *,
    source: str = "002_x.txt",
    city: str | None = "漳州",
    also_in=(),
):
    return Citation(
        rank=rank,
        passage_id=f"p{rank}",
        source=source,
        title="t",
        city=city,
        year=2022,
        paragraph=rank,
        text=text,
        score=1.0 / rank,
        also_in=tuple(also_in),
    )


def item(
    kind: str = "number",
    *,
    answers=("338家",),
    sources=("002_x.txt",),
    evidence=EVIDENCE,
    question="漳州有多少家工会驿站？",
):
    if kind == "unanswerable":
        answers, sources, evidence = (), (), ""
    return GoldItem(
        id=f"q-{kind}",
        question=question,
        answers=tuple(answers),
        sources=tuple(sources),
        evidence=evidence,
        kind=kind,
    )


def ans(answer: str | None, citations, question: str = "q") -> Answer:
    return Answer(question=question, answer=answer, sentence=None, citations=tuple(citations))


# --- hits and ranks ---------------------------------------------------------------------------------------------


def test_hit_needs_gold_source_and_evidence_in_text():
    gold = item()
    assert metrics.is_hit(cite(1, PASSAGE), gold)
    assert not metrics.is_hit(cite(1, PASSAGE, source="000_y.txt"), gold)  # right text, wrong report
    assert not metrics.is_hit(cite(1, "全市338家工会驿站"), gold)  # right report, only part of the evidence


def test_hit_ignores_whitespace_and_full_width_forms():
    spaced = "服务阵地展现新面貌。全市３３８家工会驿站，\n89个 “妈妈小屋”，28个医生休息室。"
    assert metrics.is_hit(cite(1, spaced), item())


def test_hit_through_also_in_and_source_path_forms():
    copy = cite(
        1,
        PASSAGE,
        source="000_y.txt",
        also_in=[{"source": "002_x.txt", "paragraph": 7, "start": 0, "end": 9}],
    )
    assert metrics.is_hit(copy, item())
    assert metrics.is_hit(cite(1, PASSAGE, source="seeds/002_x.txt"), item())
    assert metrics.is_hit(cite(1, PASSAGE), item(sources=("002_x",)))


def test_first_hit_rank_hit_at_and_reciprocal_rank():
    citations = [cite(1), cite(2), cite(3, PASSAGE), cite(4, PASSAGE)]
    rank = metrics.first_hit_rank(citations, item())
    assert rank == 3
    assert [metrics.hit_at(rank, c) for c in (1, 3, 5)] == [0.0, 1.0, 1.0]
    assert metrics.reciprocal_rank(rank) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(11) == 0.0  # beyond MRR@10
    assert metrics.first_hit_rank([cite(1)], item()) is None
    assert metrics.hit_at(None, 5) == 0.0 and metrics.reciprocal_rank(None) == 0.0


# --- answers --------------------------------------------------------------------------------------------------


def test_answer_correct_contains_a_gold_answer():
    gold = item(answers=("338家", "338"))
    assert metrics.answer_correct(ans("338家", [cite(1, PASSAGE)]), gold)
    assert metrics.answer_correct(ans("３３８ 家工会驿站", [cite(1, PASSAGE)]), gold)  # normalised
    assert not metrics.answer_correct(ans("89个", [cite(1, PASSAGE)]), gold)
    assert not metrics.answer_correct(ans(None, [cite(1, PASSAGE)]), gold)


def test_long_answer_or_whole_passage_does_not_count():
    gold = item()
    long = "全市338家工会驿站" + "，以及其他很多很多的服务阵地和设施" * 3
    assert len(long) > metrics.MAX_ANSWER_CHARS
    assert not metrics.answer_correct(ans(long, [cite(1, PASSAGE)]), gold)
    short_passage = "全市338家工会驿站。"
    assert not metrics.answer_correct(ans(short_passage, [cite(1, short_passage)]), gold)


def test_citation_support_is_about_the_top_citation():
    assert metrics.citation_supports(ans("338家", [cite(1, PASSAGE), cite(2)])) is True
    assert metrics.citation_supports(ans("338家", [cite(1), cite(2, PASSAGE)])) is False
    assert metrics.citation_supports(ans("338家", [])) is False
    assert metrics.citation_supports(ans(None, [cite(1, PASSAGE)])) is None


# --- cities -----------------------------------------------------------------------------------------------------


def test_cities_named_in_a_question():
    assert metrics.cities_named("厦门市总工会2020年发放了多少慰问金？") == {"厦门"}
    assert metrics.cities_named("漳州和衢州哪个的工会驿站多？") == {"漳州", "衢州"}
    assert metrics.cities_named("全国有多少工会会员？") == frozenset()
    assert metrics.cities_named("新城镇有多少会员？", known=["新城镇"]) == {"新城镇"}
    assert metrics.cities_named("漳州的“安康杯”竞赛有多少家企业参加？") == {"漳州"}
    assert metrics.city_name("漳州市") == "漳州"


def test_wrong_city_only_for_answered_unanswerable_questions():
    xiamen = item("unanswerable", question="厦门有多少家工会驿站？")
    assert metrics.is_wrong_city(ans("338家", [cite(1, PASSAGE, city="漳州")]), xiamen)
    assert not metrics.is_wrong_city(ans(None, [cite(1, PASSAGE, city="漳州")]), xiamen)  # declined
    same_city = ans("338家", [cite(1, PASSAGE, city="漳州市")])
    assert not metrics.is_wrong_city(same_city, item("unanswerable"))
    no_city = item("unanswerable", question="全国有多少家工会驿站？")
    assert not metrics.is_wrong_city(ans("338家", [cite(1, PASSAGE, city="漳州")]), no_city)
    assert not metrics.is_wrong_city(ans("338家", [cite(1, PASSAGE, city="漳州")]), item())  # answerable


# --- aggregation ------------------------------------------------------------------------------------------------


def scored_set():
    """Four answerable questions (ranks 1, 2, 7, none) and two unanswerable ones (one declined, one answered)."""
    gold = item()
    right = [cite(1, PASSAGE)]
    cases = [
        (gold, ans("338家", right)),
        (gold, ans("338家", [cite(1), cite(2, PASSAGE)])),
        (gold, ans("89个", [*(cite(r) for r in range(1, 7)), cite(7, PASSAGE)])),
        (gold, ans(None, [cite(1)])),
        (item("unanswerable", question="厦门有多少家工会驿站？"), ans(None, right)),
        (item("unanswerable", question="厦门有多少家工会驿站？"), ans("338家", right)),
    ]
    return [(g, metrics.score(a, g)) for g, a in cases]


def test_summarize_arithmetic():
    s = metrics.summarize(scored_set(), k=5)
    assert (s["questions"], s["answerable"], s["unanswerable"]) == (6, 4, 2)
    assert s["hit@1"] == pytest.approx(1 / 4)
    assert s["hit@3"] == pytest.approx(2 / 4)
    assert s["hit@5"] == pytest.approx(2 / 4)
    assert s["mrr@10"] == pytest.approx((1 + 1 / 2 + 1 / 7 + 0) / 4)
    assert s["answer_acc"] == pytest.approx(2 / 4)
    # of the three answered, only the first has the answer in its top citation
    assert s["citation_support"] == pytest.approx(1 / 3)
    assert s["no_answer_ok"] == pytest.approx(1 / 2)
    assert s["false_decline"] == pytest.approx(1 / 4)
    assert s["wrong_city"] == 1


def test_summarize_extra_cutoff_and_empty_groups():
    s = metrics.summarize(scored_set(), k=7)
    assert s["hit@7"] == pytest.approx(3 / 4)
    only_unanswerable = [p for p in scored_set() if not p[0].answerable]
    s = metrics.summarize(only_unanswerable)
    assert s["hit@1"] is None and s["answer_acc"] is None and s["no_answer_ok"] == pytest.approx(1 / 2)


def test_by_kind_and_failure_reasons():
    scored = scored_set()
    by_kind = metrics.summarize_by_kind(scored)
    assert list(by_kind) == ["number", "unanswerable"]
    assert by_kind["number"]["questions"] == 4
    reasons = [metrics.failure_reasons(g, s) for g, s in scored]
    assert reasons[0] == [] and reasons[4] == []
    assert reasons[1] == ["top citation does not contain the answer"]
    assert any("top 5" in r for r in reasons[2]) and any("gold answer" in r for r in reasons[2])
    assert "declined an answerable question" in reasons[3]
    assert reasons[5] == ["answered an unanswerable question from another city's report"]


def test_percentile_matches_linear_interpolation():
    values = [10.0, 20.0, 30.0, 40.0]
    assert metrics.percentile(values, 50) == pytest.approx(25.0)
    assert metrics.percentile(values, 95) == pytest.approx(38.5)
    assert metrics.percentile([], 50) is None


# --- runner and report on a stand-in assistant -----------------------------------------------------------------


class Scripted:
    """Returns prepared answers by question; records the k it was asked with."""

    def __init__(self, answers: dict[str, Answer]):
        self.answers, self.ks = answers, []

    def ask(self, question: str, k: int = 5) -> Answer:
        self.ks.append(k)
        return self.answers[question]


def test_run_questions_asks_with_k_for_mrr_and_reports():
    gold = [item(question="漳州有多少家工会驿站？"), item("unanswerable", question="厦门有多少家工会驿站？")]
    assistant = Scripted({g.question: ans("338家", [cite(1, PASSAGE)]) for g in gold})
    run = run_questions(assistant, gold, k=5)
    assert set(assistant.ks) == {10}
    s = run.summary()
    assert s["hit@1"] == 1.0 and s["answer_acc"] == 1.0 and s["wrong_city"] == 1
    assert s["latency_median_ms"] is not None
    assert [f["id"] for f in run.failures()] == ["q-unanswerable"]
    json.dumps(run.to_dict(), ensure_ascii=False)  # serialisable
    text = render([run], gold="g.jsonl")
    assert "q-unanswerable" in text and "| configuration |" not in text  # one run: no comparison


def test_compare_table_and_chart(tmp_path):
    result = QuestionResult(
        item(),
        ans("338家", [cite(1, PASSAGE)]),
        metrics.score(ans("338家", [cite(1, PASSAGE)]), item()),
        0.01,
    )
    runs = [RunResult(name, {}, 5, (result,)) for name in ("dense only", "hybrid + city")]
    table = compare_table(runs)
    assert table.splitlines()[0].startswith(
        "| configuration | hit@1 | hit@3 | hit@5 | MRR@10 | answer acc | no-answer ok"
    )
    assert "| dense only | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | – |" in table
    png = plot_compare(runs, tmp_path / "chart.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- gold files -------------------------------------------------------------------------------------------------

GOOD = {
    "id": "a1",
    "question": "q?",
    "answers": ["1"],
    "sources": ["s.txt"],
    "evidence": "e",
    "kind": "number",
}


def test_load_gold_reads_lines_and_skips_blank_ones(tmp_path):
    path = tmp_path / "gold.jsonl"
    none = {
        "id": "u1",
        "question": "q?",
        "answers": [],
        "sources": [],
        "evidence": "",
        "kind": "unanswerable",
    }
    path.write_text(json.dumps(GOOD) + "\n\n" + json.dumps(none, ensure_ascii=False) + "\n", encoding="utf-8")
    items = load_gold(path)
    assert [i.id for i in items] == ["a1", "u1"] and items[0].answers == ("1",) and not items[1].answerable


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "opinion"}, "field 'kind'"),
        ({"answers": "1"}, "field 'answers'"),
        ({"answers": []}, "field 'answers'"),
        ({"question": ""}, "field 'question'"),
        ({"kind": "unanswerable"}, "must be empty"),
        ({"sources": [3]}, "field 'sources'"),
    ],
)
def test_bad_lines_name_line_and_field(tmp_path, change, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "a2", **change}) + "\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=rf"gold.jsonl:2: .*{message}"):
        load_gold(path)


def test_missing_field_duplicate_id_bad_json_missing_file(tmp_path):
    with pytest.raises(ValueError, match="field 'evidence': missing"):
        parse_line(json.dumps({k: v for k, v in GOOD.items() if k != "evidence"}))
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_line('{"id": "a1",')
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="gold.jsonl:2: field 'id'.*already used on line 1"):
        load_gold(path)
    with pytest.raises(FileNotFoundError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")


def test_cli_errors_are_one_line_and_exit_2(tmp_path, capsys):
    from eval.__main__ import main

    assert main(["--gold", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: gold file") and err.count("\n") == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(GOOD) + "\n{not json\n", encoding="utf-8")
    assert main(["--gold", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:2: not valid JSON" in err and "Traceback" not in err


def test_long_gold_answer_allows_a_little_framing():
    gold_text = "比项目进度、比工程质量、比技术创新、比科学管理、比成本控制、比安全生产"
    gold = item("definition", answers=(gold_text,))
    framed = f"({gold_text})立功竞赛活动"
    assert len(framed) > metrics.MAX_ANSWER_CHARS
    assert metrics.answer_correct(ans(framed, [cite(1, PASSAGE)]), gold)
    rambling = framed + "不断深化，成效明显，职工积极参与"
    assert not metrics.answer_correct(ans(rambling, [cite(1, PASSAGE)]), gold)
