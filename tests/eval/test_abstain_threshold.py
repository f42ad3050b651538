"""The abstention threshold for a target precision, read from held-out (cross-fitted) confidences."""

from __future__ import annotations

from eval.fit.abstain import Choice, stages, threshold_for_target


def _pick(right: bool, answerable: bool = True, fold: str = "a") -> Choice:
    return Choice({"margin": 1.0 if right else 0.0}, right, answerable, fold)


def test_the_lowest_threshold_reaching_the_target_is_chosen():
    # confidences high to low: right, right, right, wrong, right, wrong
    scored = [(0.9, _pick(True)), (0.8, _pick(True)), (0.7, _pick(True)), (0.6, _pick(False))]
    scored += [(0.5, _pick(True)), (0.4, _pick(False, answerable=False))]
    cut, precision, coverage = threshold_for_target(scored, 0.8, answerable=5)
    assert 0.4 < cut < 0.5  # five given, four right: 0.8
    assert precision == 0.8 and coverage == 1.0
    cut, precision, coverage = threshold_for_target(scored, 0.95, answerable=5)
    assert 0.6 < cut < 0.7 and precision == 1.0 and coverage == 0.6


def test_an_unreachable_target_keeps_the_most_precise_threshold():
    scored = [(0.9, _pick(False)), (0.8, _pick(True)), (0.7, _pick(True))]
    cut, precision, _ = threshold_for_target(scored, 0.99)
    assert 0.0 < cut < 0.7 and abs(precision - 2 / 3) < 1e-9


def test_every_report_gets_a_stage_fit_without_it_and_the_whole_records_its_target():
    picks = [_pick(n % 3 != 0, fold=f"r{n % 4}") for n in range(40)]
    whole, per_report = stages(picks, target=0.9, answerable=40)
    assert set(per_report) == {"r0", "r1", "r2", "r3"}
    figures = whole.figures()
    assert figures["target"] == 0.9 and figures["threshold"] == whole.threshold
    assert figures["held_out_precision"] >= 0.9


def test_a_scorer_with_its_stage_keeps_the_target_and_threshold_through_its_weights_file(tmp_path):
    from qa.scorer import Scorer

    picks = [_pick(n % 3 != 0, fold=f"r{n % 4}") for n in range(40)]
    whole, _ = stages(picks, target=0.9, answerable=40)
    scorer = whole.applied(Scorer(weights={"margin": 1.0}, intercept=0.0, threshold=0.5))
    scorer.save(tmp_path / "scorer_weights.json")
    again = Scorer.load(tmp_path / "scorer_weights.json")
    assert again.threshold == whole.threshold == again.info["abstain"]["threshold"]
    assert again.info["abstain"]["target"] == 0.9
    assert again.abstain_weights == scorer.abstain_weights


def test_a_vetoed_pick_is_never_given_whatever_its_stage_says():
    """A pick failing a check of what is asked (qa.scorer.VETO) counts as declined when the threshold is read."""
    from eval.fit.abstain import cross_fitted

    picks = [_pick(n % 3 != 0, fold=f"r{n % 4}") for n in range(40)]
    sure_but_vetoed = Choice({"margin": 1.0}, False, False, "r0", vetoed=True)
    _, values = cross_fitted([*picks, sure_but_vetoed])
    assert values[-1] == 0.0
    assert values[0] > 0.0  # a right pick of the same features keeps its confidence
