"""Claim protocol 2 against synthetic corpora whose answers are known by construction (an oracle kept
here, beside the independent one outside the project): the decision by interval inclusion at the
family-wise level, the cases version 1 got wrong, the contrast, families, and the one rule for ties."""

import math

import numpy as np
import pytest

from evaluator.base.stats import walsh_interval
from evaluator.claims.claim_outcomes import (
    CONTRADICTED, EQUIVALENT, MEANINGFUL, NOT_DECIDABLE, SUPPORTED, TRIVIAL, UNDECIDED, UNDETERMINED, contested,
    decide_by_interval,
)
from evaluator.claims.claim_protocol import load_protocol, load_protocol_version
from evaluator.claims.claim_verdicts import evaluate_claims
from evaluator.claims.report_model import ClaimOutcome, StaticRecord, TaskSummary

V2, V1 = load_protocol(), load_protocol_version("1")


def corpus(ratios, *, category="tensors", categories=None, tags=None):
    """Static records whose PyTorch/TensorFlow ratio on every metric is `ratios[i]` on task i."""
    records, tasks = [], []
    for i, r in enumerate(ratios):
        tf = 100.0 + 7 * i
        torch = (tf + 1) * r - 1          # counts get +1 before the log: the per-task log ratio is exactly log(r)
        for key, value in (("torch", torch), ("tensorflow", tf)):
            metrics = {m: value for m in ("sloc", "lloc", "tokens", "cc_sum", "decision_points", "distinct_apis",
                                          "concepts", "api_references", "framework_calls")}
            metrics["api_density"] = 0.5
            records.append(StaticRecord(f"t{i}", key, key, None, f"t{i}/{key}_impl.py", metrics, {}))
        cat = categories[i] if categories else category
        tasks.append(TaskSummary(f"t{i}", f"t{i}", cat, tuple((tags or {}).get(i, ())), ("torch", "tensorflow"), {}))
    return records, tasks


def claim(claims, number):
    return next(c for c in claims if c.number == number)


def spread(center, n, width=0.04, seed=0):
    """n ratios around `center`, log-uniformly within +-width (no ties)."""
    rng = np.random.default_rng(seed)
    return list(np.exp(math.log(center) + rng.uniform(-width, width, n)))


def test_an_estimate_just_inside_delta_whose_interval_straddles_it_is_undecided():
    # TensorFlow ~1.24x shorter: protocol 1 called claim 4 contradicted (a "meaningful" difference that was
    # never shown to exceed Δ); protocol 2: the 99% interval straddles 1.25, so claim 4 is undecided and
    # claim 1 (PyTorch easier) contradicted: PyTorch's advantage is shown below Δ.
    records, tasks = corpus(spread(1.24, 40, width=0.12, seed=1))
    v2 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False)
    low, high = claim(v2, 4).primary.ci_holm
    assert low < 1.25 < high and claim(v2, 4).primary.holm_level == pytest.approx(1 - 0.1 / 11)
    assert (claim(v2, 4).verdict, claim(v2, 4).outcome.outcome) == (UNDECIDED, UNDETERMINED)
    assert claim(v2, 1).verdict == CONTRADICTED
    v1 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V1, with_robustness=False)
    assert claim(v1, 4).verdict == CONTRADICTED      # the old reading


def test_an_interval_inside_the_band_only_without_multiplicity_control_is_not_equivalence():
    # 12 ratios spread around 1: the 90% interval (0.886 to 1.20) is inside (0.8, 1.25), the 99% one
    # (0.779 to 1.26) is not
    ratios = spread(1.0, 12, width=0.35, seed=0)
    d = np.log(ratios)
    low90, high90, _ = walsh_interval(d, 0.90)
    low99, high99, _ = walsh_interval(d, 0.99)
    assert 1 / 1.25 < math.exp(low90) and math.exp(high90) < 1.25 and math.exp(high99) > 1.25
    records, tasks = corpus(ratios)
    v2 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False)
    assert claim(v2, 4).verdict == UNDECIDED         # "the gap is small" not shown at the family-wise level
    v1 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V1, with_robustness=False)
    assert claim(v1, 4).verdict == SUPPORTED         # protocol 1's uncorrected 90% interval said it was


def test_a_large_clear_difference_supports_and_a_clear_equivalence_supports_the_gap_claim():
    records, tasks = corpus(spread(0.6, 20))         # PyTorch 40% smaller everywhere
    v2 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False)
    assert (claim(v2, 1).verdict, claim(v2, 1).outcome.outcome, claim(v2, 1).outcome.favours) == (SUPPORTED, MEANINGFUL, "torch")
    assert claim(v2, 4).verdict == CONTRADICTED      # the gap lies wholly beyond 1/Δ
    records, tasks = corpus(spread(1.02, 20))
    v2 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False)
    assert claim(v2, 4).verdict == SUPPORTED and claim(v2, 4).outcome.outcome in (EQUIVALENT, TRIVIAL)
    assert claim(v2, 1).verdict == CONTRADICTED      # PyTorch's advantage, if any, is below Δ


def test_ties_cannot_decide_a_claim():
    ratios = [1.0] * 24 + spread(0.5, 6)             # 24 tied tasks, 6 where PyTorch is half the size
    records, tasks = corpus(ratios)
    v2 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False)
    c = claim(v2, 1)
    assert (c.verdict, c.outcome.outcome) == (UNDECIDED, NOT_DECIDABLE)
    assert "only 6 of 30 tasks differ" in c.outcome.reason and "tied units cannot decide" in c.outcome.reason


def test_claim_7_is_a_contrast_of_deployment_against_the_other_tasks():
    # TensorFlow 1.3x shorter everywhere: protocol 1 "supported" claim 7 on the deployment tasks alone
    ratios = spread(1.3, 30, seed=2)
    categories = ["persistence-deployment"] * 10 + ["training"] * 20
    records, tasks = corpus(ratios, categories=categories)
    v2 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False)
    c7 = claim(v2, 7)
    assert c7.primary.result.method.startswith("mann-whitney (10 against 20 tasks)")
    assert c7.primary.ci_holm[0] < 1 < c7.primary.ci_holm[1] and c7.verdict == CONTRADICTED   # advantage not larger
    v1 = evaluate_claims(records=records, tasks=tasks, names={}, protocol=V1, with_robustness=False)
    assert claim(v1, 7).verdict == SUPPORTED         # the old claim 7 restated claim 1
    # TensorFlow's advantage 2.2x on deployment and 1.05x elsewhere: larger for deployment, by more than Δ
    ratios = spread(2.2, 10, seed=3) + spread(1.05, 20, seed=5)
    records, tasks = corpus(ratios, categories=categories)
    c7 = claim(evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False), 7)
    assert c7.verdict == SUPPORTED and c7.primary.result.ratio == pytest.approx(2.2 / 1.05, rel=0.08)


def test_tasks_tagged_distributed_are_in_no_claim_s_units():
    records, tasks = corpus(spread(0.6, 12), tags={0: ("distributed",), 1: ("distributed",)})
    c1 = claim(evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, with_robustness=False), 1)
    assert c1.primary.result.n == 10 and not {"t0", "t1"} & set(c1.primary.units)
    c1_v1 = claim(evaluate_claims(records=records, tasks=tasks, names={}, protocol=V1, with_robustness=False), 1)
    assert c1_v1.primary.result.n == 12


def test_robustness_counts_outcome_changes_and_leaves_families_out():
    records, tasks = corpus(spread(0.6, 20, width=0.3, seed=7))
    families = {f"t{i}": ("t0" if i < 4 else f"t{i}") for i in range(20)}   # t0..t3 one family
    c = claim(evaluate_claims(records=records, tasks=tasks, names={}, protocol=V2, families=families), 1)
    kinds = {check.kind for check in c.robustness.checks}
    assert {"leave one task out", "leave one family out", "margin", "metric swap"} <= kinds
    family_checks = [x for x in c.robustness.checks if x.kind == "leave one family out"]
    assert [x.label for x in family_checks] == ["without the family t0, t1, t2, t3"]
    assert c.robustness.family_bootstrap_share is not None and c.robustness.families == 17
    margins = [x for x in c.robustness.checks if x.kind == "margin"]
    assert any(x.outcome_changed and not x.flipped for x in margins) or any(x.flipped for x in margins)


def test_one_definition_of_contested():
    a = ClaimOutcome(MEANINGFUL, "torch", SUPPORTED)
    b = ClaimOutcome(UNDETERMINED, "tensorflow", UNDECIDED)      # a difference shown, its size not
    assert contested({"tasks": a, "hf": b})
    assert not contested({"tasks": a, "hf": ClaimOutcome(EQUIVALENT, None, SUPPORTED)})
    assert contested({"tasks": 1, "hf": -1}) and not contested({"tasks": 1, "hf": 0})


def test_the_rule_by_hand_on_one_interval():
    from evaluator.base.stats import log_ratio_test

    test = log_ratio_test([1.0] * 10, [1.0] * 10)
    rule = dict(confidence=0.99, kind="direction", claimed="torch", delta=1.25, alpha=0.05, min_tasks=9, min_nonzero=0,
                better="lower", a_key="torch", b_key="tensorflow")
    # torch/tensorflow 0.5 to 0.7: PyTorch at least 1/0.7 = 1.43 better > Δ
    assert decide_by_interval(test, (0.5, 0.7), 0.99, **rule).verdict == SUPPORTED
    # 0.75 to 0.9: PyTorch better, but by 1.11 to 1.33: straddles Δ
    assert decide_by_interval(test, (0.75, 0.9), 0.99, **rule).verdict == UNDECIDED
    # 0.85 to 1.1: PyTorch's advantage at most 1/0.85 = 1.18 < Δ: contradicted
    assert decide_by_interval(test, (0.85, 1.1), 0.99, **rule).verdict == CONTRADICTED
    # an interval that cannot reach 99%
    assert decide_by_interval(test, (0.5, 0.7), 0.98, **rule).outcome == NOT_DECIDABLE
