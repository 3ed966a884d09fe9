"""The report's comparisons and claims on synthetic evidence whose answer is known by construction."""


import pytest

from evaluator.corpus import Corpus, Task
from evaluator.report.assemble import build_report
from evaluator.report.build import compare_speed, compare_static, report_order
from evaluator.report.claims import CONTRADICTED, INCONCLUSIVE, NOT_MEASURED, SUPPORTED, direction_verdict, equivalence_verdict
from evaluator.report.model import StaticRecord


def _record(task, key, sloc, cc, apis, refs=10.0, lloc=20.0, **extra):
    framework, _, variant = key.partition("_")
    metrics = {"sloc": sloc, "lloc": lloc, "tokens": sloc * 8, "cc_sum": cc, "distinct_apis": apis,
               "api_references": refs, "concepts": 3, "api_density": refs / lloc, **extra}
    return StaticRecord(task, key, framework, variant or None, f"tasks/{task}/{key}_impl.py", metrics,
                        {f"{framework}.api{i}": 1 for i in range(int(apis))}, glue_lines_excluded=2)


def _records(n, torch_factor, tf_factor=1.0):
    out = []
    for i in range(n):
        base, jitter = 20 + 3 * i, 1 + 0.02 * (i % 3 - 1)  # ratios vary a little, as real ones do
        out.append(_record(f"t{i}", "torch", base * torch_factor * jitter, 4 + i * torch_factor, 8 + i * torch_factor))
        out.append(_record(f"t{i}", "tensorflow", base * tf_factor, 4 + i * tf_factor + 2, 8 + i * tf_factor + 3))
    return out


def test_report_order_puts_torch_first_without_a_setting():
    assert report_order(["tensorflow", "torch", "jax"]) == ("torch", "tensorflow", "jax")


def test_clear_difference_supports_the_learning_claim():
    comparisons = compare_static(_records(12, 0.7), "torch", "tensorflow")
    picked = [c for c in comparisons if c.metric.name in ("sloc", "cc_sum", "distinct_apis")]
    assert len(picked) == 3
    sloc = picked[0]
    assert sloc.result.ratio == pytest.approx(0.7, rel=0.01)
    assert sloc.result.verdict == "b_higher" and sloc.result.pvalue_holm < 0.05
    assert direction_verdict(picked, "torch") == SUPPORTED
    assert direction_verdict(picked, "tensorflow") == CONTRADICTED


def test_too_few_tasks_is_inconclusive_not_a_verdict():
    picked = [c for c in compare_static(_records(4, 0.5), "torch", "tensorflow") if c.metric.name == "sloc"]
    assert picked[0].result.verdict == "inconclusive"
    assert direction_verdict(picked, "torch") == INCONCLUSIVE
    assert direction_verdict([], "torch") == NOT_MEASURED


def test_equivalence_band():
    same = [c for c in compare_static(_records(12, 1.0, 1.02), "torch", "tensorflow") if c.metric.name == "sloc"]
    assert same[0].result.ratio_ci is None or equivalence_verdict(same) == SUPPORTED
    far = [c for c in compare_static(_records(12, 0.5), "torch", "tensorflow") if c.metric.name == "sloc"]
    assert equivalence_verdict(far) == CONTRADICTED


def _run(task, key, median, first=0.5, machine="m1", device="cpu", status="ok"):
    framework, _, variant = key.partition("_")
    samples = [median * (1 + 0.01 * (i % 5 - 2)) for i in range(15)]
    return {"task": task, "impl_key": key, "framework": framework, "variant": variant or None, "device": device,
            "machine": machine, "status": status, "code_hash": f"{task}{key}", "started_at": "2026-11-27T00:00:00Z",
            "timing": {"median_s": median, "iqr_s": median * 0.02, "samples_s": samples, "first_call_s": first, "setup_s": 0.1},
            "peak_rss_bytes": 300 * 2**20, "baseline_rss_bytes": 200 * 2**20}


def test_speed_is_compared_per_machine_and_never_pooled():
    runs = []
    for i in range(6):
        runs += [_run(f"t{i}", "torch", 0.001), _run(f"t{i}", "tensorflow", 0.002)]
        runs += [_run(f"t{i}", "torch", 0.004, machine="m2"), _run(f"t{i}", "tensorflow", 0.001, machine="m2")]
    speed = compare_speed(runs, "torch", "tensorflow")
    by_machine = {s.machine: s for s in speed}
    assert set(by_machine) == {"m1", "m2"}
    assert by_machine["m1"].overall.ratio == pytest.approx(0.5)
    assert by_machine["m2"].overall.ratio == pytest.approx(4.0)
    assert all(t.comparison.verdict == "b_higher" for t in by_machine["m1"].tasks)
    assert by_machine["m1"].peak_memory.a_values[0] == pytest.approx(100 * 2**20)


def _task(task_id, category="tensors"):
    from evaluator.metadata import TaskMetadata, Tolerance

    meta = TaskMetadata(f"Title <b>{task_id}</b>", category, "desc", ("learning-curve",), Tolerance(), {"small": {}},
                        {"torch": ("https://pytorch.org",)})
    return Task(task_id, __import__("pathlib").Path(f"tasks/{task_id}"), meta, ())


def test_build_report_end_to_end_on_synthetic_evidence():
    records = _records(10, 0.7)
    runs = [r for i in range(10) for r in (_run(f"t{i}", "torch", 0.001), _run(f"t{i}", "tensorflow", 0.003),
                                          _run(f"t{i}", "torch_compiled", 0.0005 * (1 + 0.05 * (i % 3))))]
    runs.append(_run("t0", "tensorflow_lowlevel", 0.1, status="incorrect"))
    corpus = Corpus(__import__("pathlib").Path("tasks"), tuple(_task(f"t{i}") for i in range(10)))
    env = [{"machine": "m1", "import_seconds": {"torch": 1.0, "tensorflow": 3.0}}]
    report = build_report(corpus, records, runs, env, command="easeval report", corpus_revision="abc", static_only=False)
    claims = {c.number: c for c in report.claims}
    assert claims[1].verdict == SUPPORTED
    assert claims[5].verdict == SUPPORTED  # compiled is 2x faster on every task with tight samples
    assert claims[8].verdict == NOT_MEASURED
    assert report.headline[0].startswith("PyTorch needs 30% fewer source lines of code than TensorFlow")
    assert [f["task"] for f in report.failures] == ["t0"]
    assert any("3.00x faster" in h or "3x faster" in h for h in report.headline), report.headline
    assert any("TensorFlow was not measured on a GPU" in t for t in report.threats)
    assert report.speed[0].overall.ratio == pytest.approx(1 / 3)
