"""The report's comparisons and claims on synthetic evidence whose answer is known by construction."""

import pytest

from evaluator.report.comparisons import compare_speed, compare_static, report_order
from evaluator.report.claims import CONTRADICTED, INCONCLUSIVE, NOT_MEASURED, SUPPORTED, direction_verdict, equivalence_verdict

from synthetic_evidence import records_for, run, synthetic_report


def test_report_order_puts_torch_first_without_a_setting():
    assert report_order(["tensorflow", "torch", "jax"]) == ("torch", "tensorflow", "jax")


def test_clear_difference_supports_the_learning_claim():
    comparisons = compare_static(records_for(12, 0.7), "torch", "tensorflow")
    picked = [c for c in comparisons if c.metric.name in ("sloc", "cc_sum", "distinct_apis")]
    assert len(picked) == 3
    sloc = picked[0]
    assert sloc.result.ratio == pytest.approx(0.7, rel=0.01)
    assert sloc.result.verdict == "b_higher" and sloc.result.pvalue_holm < 0.05
    assert direction_verdict(picked, "torch") == SUPPORTED
    assert direction_verdict(picked, "tensorflow") == CONTRADICTED


def test_too_few_tasks_is_inconclusive_not_a_verdict():
    picked = [c for c in compare_static(records_for(4, 0.5), "torch", "tensorflow") if c.metric.name == "sloc"]
    assert picked[0].result.verdict == "inconclusive"
    assert direction_verdict(picked, "torch") == INCONCLUSIVE
    assert direction_verdict([], "torch") == NOT_MEASURED


def test_equivalence_band():
    same = [c for c in compare_static(records_for(12, 1.0, 1.02), "torch", "tensorflow") if c.metric.name == "sloc"]
    low, high = same[0].result.ratio_ci  # 12 tasks: a bootstrap CI must exist
    assert 0.8 <= low <= same[0].result.ratio <= high <= 1.25
    assert same[0].result.ratio == pytest.approx(1 / 1.02, rel=0.01)
    assert equivalence_verdict(same) == SUPPORTED
    far = [c for c in compare_static(records_for(12, 0.5), "torch", "tensorflow") if c.metric.name == "sloc"]
    assert far[0].result.ratio_ci[1] < 0.8
    assert equivalence_verdict(far) == CONTRADICTED


def test_no_ci_below_three_tasks_makes_equivalence_inconclusive():
    tiny = [c for c in compare_static(records_for(2, 1.0, 1.02), "torch", "tensorflow") if c.metric.name == "sloc"]
    assert tiny[0].result.ratio_ci is None and "too small for a bootstrap CI" in tiny[0].result.ratio_reason
    assert equivalence_verdict(tiny) == INCONCLUSIVE


def test_speed_is_compared_per_machine_and_never_pooled():
    runs = []
    for i in range(6):
        runs += [run(f"t{i}", "torch", 0.001), run(f"t{i}", "tensorflow", 0.002)]
        runs += [run(f"t{i}", "torch", 0.004, machine="m2"), run(f"t{i}", "tensorflow", 0.001, machine="m2")]
    speed = compare_speed(runs, "torch", "tensorflow")
    by_machine = {s.machine: s for s in speed}
    assert set(by_machine) == {"m1", "m2"}
    assert by_machine["m1"].overall.ratio == pytest.approx(0.5)
    assert by_machine["m2"].overall.ratio == pytest.approx(4.0)
    assert all(t.comparison.verdict == "b_higher" for t in by_machine["m1"].tasks)
    assert by_machine["m1"].peak_memory.a_values[0] == pytest.approx(100 * 2**20)
    assert by_machine["m1"].setting == "1 thread, small size"


def test_runs_with_other_thread_counts_are_not_pooled():
    runs = [r for i in range(6) for r in (run(f"t{i}", "torch", 0.001), run(f"t{i}", "tensorflow", 0.002),
                                         run(f"t{i}", "torch", 0.0005, threads=2), run(f"t{i}", "tensorflow", 0.002, threads=2))]
    speed = {s.setting: s for s in compare_speed(runs, "torch", "tensorflow")}
    assert set(speed) == {"1 thread, small size", "2 threads, small size"}
    assert speed["1 thread, small size"].overall.ratio == pytest.approx(0.5)
    assert speed["2 threads, small size"].overall.ratio == pytest.approx(0.25)


def test_build_report_end_to_end_on_synthetic_evidence():
    report = synthetic_report(10)
    claims = {c.number: c for c in report.claims}
    assert claims[1].verdict == SUPPORTED
    assert claims[5].verdict == SUPPORTED  # the compiled variant is about 2x faster on every task
    assert claims[8].verdict == NOT_MEASURED
    assert report.headline[0].startswith("PyTorch needs 30% fewer source lines of code than TensorFlow")
    assert [f.task for f in report.failures] == ["t0"]
    assert any("3.00x faster" in h for h in report.headline), report.headline
    assert any("TensorFlow was not measured on a GPU" in t for t in report.threats)
    assert report.speed[0].overall.ratio == pytest.approx(1 / 3)
