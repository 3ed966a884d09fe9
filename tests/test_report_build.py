"""The report's comparisons and claims on synthetic evidence whose answer is known by construction."""

from pathlib import Path

import pytest

from evaluator.corpus.discovery import Corpus
from evaluator.claims.report_builder import task_summaries

from evaluator.claims.claim_verdicts import evaluate_claims
from evaluator.claims.metric_comparisons import compare_speed, compare_static, report_order
from evaluator.claims.claim_outcomes import CONTRADICTED, NOT_MEASURED, SUPPORTED, UNDECIDED

from synthetic_evidence import records_for, run, synthetic_report, task


def test_report_order_puts_torch_first_without_a_setting():
    assert report_order(["tensorflow", "torch", "jax"]) == ("torch", "tensorflow", "jax")


def claims_for(records) -> dict:
    tasks = task_summaries(Corpus(Path("tasks"), tuple(task(t) for t in sorted({r.task_id for r in records}))))
    return {c.number: c for c in evaluate_claims(records=records, tasks=tasks, names={"torch": "PyTorch", "tensorflow": "TensorFlow"})}


def test_clear_difference_supports_the_learning_claim():
    comparisons = compare_static(records_for(12, 0.7), "torch", "tensorflow")
    sloc = next(c for c in comparisons if c.metric.name == "sloc")
    assert sloc.result.ratio == pytest.approx(0.7, rel=0.01)           # raw-difference fields are kept
    assert sloc.log.ratio == pytest.approx(0.71, abs=0.01)              # log scale, +1 offset for counts
    assert sloc.log.pvalue_holm < 0.05 and sloc.log.ci[1] < 1
    claims = claims_for(records_for(12, 0.7))
    assert claims[1].verdict == SUPPORTED and claims[1].outcome.favours == "torch"
    assert claims[4].verdict == CONTRADICTED   # a meaningful gap is not a small one


def test_too_few_tasks_is_not_decidable_not_a_verdict():
    claims = claims_for(records_for(4, 0.5))
    assert claims[1].outcome.outcome == "not decidable" and claims[1].verdict == UNDECIDED
    assert "fewer than the protocol's minimum of 9" in claims[1].outcome.reason
    assert claims[1].tasks_needed >= 9 and "not decidable" in claims[1].marks


def test_equivalence_band():
    same = claims_for(records_for(12, 1.0, 1.03))     # no tied task: ties cannot decide a claim (protocol 2)
    low, high = same[4].primary.result.ci_equivalence
    assert 0.8 < low <= same[4].primary.result.ratio <= high < 1.25
    assert same[4].verdict == SUPPORTED and same[1].verdict == CONTRADICTED
    far = claims_for(records_for(12, 0.5))
    assert far[4].primary.result.ci[1] < 0.8
    assert far[4].verdict == CONTRADICTED


def test_two_tasks_cannot_decide_the_gap_claim():
    tiny = claims_for(records_for(2, 1.0, 1.02))
    assert tiny[4].primary.result.ci_level < 0.95   # two tasks: the widest interval covers only 50%
    assert tiny[4].verdict == UNDECIDED and tiny[4].outcome.outcome == "not decidable"


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
    # every first call takes 0.5 s on both sides: every task tied, and ties cannot decide a claim (protocol 2;
    # protocol 1 read the interval (1, 1) as "equivalent" and contradicted the claim)
    assert claims[6].outcome.outcome == "not decidable" and claims[6].verdict == UNDECIDED
    assert "only 0 of 10 tasks differ" in claims[6].outcome.reason
    assert claims[8].verdict == NOT_MEASURED
    assert report.protocol_version == "2"
    assert report.headline[0].startswith("1. PyTorch is easier to learn than TensorFlow: supported (meaningful difference "
                                         "favouring PyTorch); lloc ratio 0.708, 99% interval")
    assert [f.task for f in report.failures] == ["t0"]
    assert any("3.00x faster" in h for h in report.headline), report.headline
    assert any("TensorFlow was not measured on a GPU" in t for t in report.threats)
    assert report.speed[0].overall.ratio == pytest.approx(1 / 3)
