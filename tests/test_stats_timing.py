"""Per-task speed from independent processes: Welch's t-test on log process medians, and Holm across
the tasks of one comparison (docs/statistics.md, "Timings"). Values computed by hand in the comments."""

from __future__ import annotations

import dataclasses
import math

import pytest
from scipy import stats as scipy_stats

from evaluator.base.stats import process_timing_comparison, timing_family


def test_welch_on_log_process_medians_matches_the_hand_computation_and_scipy():
    # logs a: 0, 0.1, 0.2 (mean 0.1, variance 0.01); logs b: 0.5, 0.6, 0.7 (mean 0.6, variance 0.01).
    # difference -0.5, standard error sqrt(0.01/3 + 0.01/3) = 0.0816497, t = -6.12372, Welch df = 4;
    # two-sided p = 2 * t.sf(6.12372, 4) = 0.0036022; t.ppf(0.975, 4) = 2.7764451, so the 95% interval
    # of the log ratio is -0.5 -/+ 0.2266937 -> ratio exp(-0.5) = 0.6065307, CI 0.4835040 to 0.7608613.
    a = [math.exp(v) for v in (0.0, 0.1, 0.2)]
    b = [math.exp(v) for v in (0.5, 0.6, 0.7)]
    c = process_timing_comparison(a, b)
    assert (c.n_a, c.n_b) == (3, 3)
    assert c.statistic == pytest.approx(-6.1237244, rel=1e-6)
    assert c.pvalue == pytest.approx(0.0036022326, rel=1e-6)
    assert c.pvalue == pytest.approx(scipy_stats.ttest_ind([0.0, 0.1, 0.2], [0.5, 0.6, 0.7], equal_var=False).pvalue)
    assert c.ratio == pytest.approx(0.6065306597)
    assert c.ratio_ci == pytest.approx((0.4835039505, 0.7608612935), rel=1e-7)
    assert c.median_a == pytest.approx(math.exp(0.1)) and c.median_b == pytest.approx(math.exp(0.6))
    assert c.verdict == "b_higher" and c.method == "welch-t-log" and c.min_attainable_p == 0.0


def test_a_slower_side_a_is_a_higher_and_overlapping_processes_are_not_significant():
    assert process_timing_comparison([2.0, 2.1, 2.05], [1.0, 1.02, 0.99]).verdict == "a_higher"
    assert process_timing_comparison([1.0, 1.3, 0.8], [1.1, 0.9, 1.2]).verdict == "no_significant_difference"


def test_one_process_a_side_gives_a_ratio_but_no_test():
    c = process_timing_comparison([2.0], [1.0, 1.1, 0.9])
    assert c.ratio == pytest.approx(2.0 / (1.0 * 1.1 * 0.9) ** (1 / 3))
    assert c.verdict == "inconclusive" and c.ratio_ci is None and "fewer than 2 processes" in c.note
    assert c.pvalue == 1.0 and c.method == "none"


def test_identical_processes_give_no_test_and_bad_input_is_refused():
    c = process_timing_comparison([1.0, 1.0], [2.0, 2.0])
    assert c.ratio == 0.5 and c.verdict == "inconclusive" and c.method == "none"
    assert process_timing_comparison([0.0, 1.0], [1.0, 1.0]).ratio is None
    with pytest.raises(ValueError):
        process_timing_comparison([], [1.0])


def test_holm_across_the_tasks_of_a_family_recomputes_the_verdicts():
    # Raw p 0.01, 0.04, 0.03 -> Holm: 3 * 0.01 = 0.03; 2 * 0.03 = 0.06; max(0.06, 1 * 0.04) = 0.06.
    base = process_timing_comparison([2.0, 2.1, 2.05], [1.0, 1.02, 0.99])
    family = timing_family([dataclasses.replace(base, pvalue=p) for p in (0.01, 0.04, 0.03)])
    assert [c.pvalue_holm for c in family] == pytest.approx([0.03, 0.06, 0.06])
    assert [c.verdict for c in family] == ["a_higher", "no_significant_difference", "no_significant_difference"]
    assert [c.pvalue for c in family] == [0.01, 0.04, 0.03]          # the raw p stays


def test_an_untested_comparison_keeps_its_reason_in_the_family():
    untested = process_timing_comparison([2.0], [1.0, 1.1])
    (c,) = timing_family([untested])
    assert c.verdict == "inconclusive" and "fewer than 2 processes" in c.note and c.pvalue_holm == 1.0
    assert timing_family([]) == []
