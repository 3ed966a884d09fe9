"""Synthetic evidence whose answers are known by construction, for the report tests."""

from pathlib import Path

from evaluator.corpus.discovery import Corpus, Task
from evaluator.corpus.task_metadata import TaskMetadata, Tolerance
from evaluator.claims.report_builder import build_report
from evaluator.claims.report_model import RunEnvironment, StaticRecord
from evaluator.results import Measurement, ProcessTiming, Timing


def record(task, key, sloc, cc, apis, refs=10.0, lloc=20.0, **extra):
    framework, _, variant = key.partition("_")
    # logical lines follow the source lines (claim protocol 2 decides the size claims on them); api_density
    # keeps its fixed denominator so the style claim's synthetic answer does not move
    metrics = {"sloc": sloc, "lloc": extra.pop("logical", sloc), "tokens": sloc * 8, "cc_sum": cc, "distinct_apis": apis,
               "api_references": refs, "concepts": 3, "api_density": refs / lloc, **extra}
    return StaticRecord(task, key, framework, variant or None, f"tasks/{task}/{key}_impl.py", metrics,
                        {f"{framework}.api{i}": 1 for i in range(int(apis))}, glue_lines_excluded=2)


def records_for(n, torch_factor, tf_factor=1.0):
    out = []
    for i in range(n):
        base, jitter = 20 + 3 * i, 1 + 0.02 * (i % 3 - 1)  # ratios vary a little, as real ones do
        out.append(record(f"t{i}", "torch", base * torch_factor * jitter, 4 + i * torch_factor, 8 + i * torch_factor))
        out.append(record(f"t{i}", "tensorflow", base * tf_factor, 4 + i * tf_factor + 2, 8 + i * tf_factor + 3))
    return out


def run(task, key, median, first=0.5, machine="m1", device="cpu", status="ok", threads=1, size="small"):
    """A measurement timed in three processes whose medians are median * (0.98, 1.0, 1.02)."""
    framework, _, variant = key.partition("_")
    processes = []
    for offset in (-0.02, 0.0, 0.02):
        samples = tuple(median * (1 + offset) * (1 + 0.01 * (i % 5 - 2)) for i in range(5))
        processes.append(ProcessTiming(median_s=median * (1 + offset), iqr_s=median * 0.02, samples_s=samples,
                                       first_call_s=first, setup_s=0.1))
    timing = Timing.from_processes(processes, method="synthetic", options={"processes": 3})
    return Measurement(task=task, impl_key=key, framework=framework, variant=variant or None, device=device,
                       machine=machine, status=status, threads=threads, size=size, code_hash=f"{task}{key}{size}",
                       started_at="2026-11-27T00:00:00Z", timing=timing,
                       peak_rss_bytes=300 * 2**20, baseline_rss_bytes=200 * 2**20)


def task(task_id, category="tensors"):
    meta = TaskMetadata(f"Title <b>{task_id}</b>", category, "desc", ("learning-curve",), Tolerance(), {"small": {}},
                        {"torch": ("https://pytorch.org",)})
    return Task(task_id, Path(f"tasks/{task_id}"), meta, ())


def synthetic_report(n: int = 10):
    """A full report: PyTorch 30% smaller, 3x faster, a compiled variant 2x faster, one failure."""
    records = records_for(n, 0.7)
    runs = [r for i in range(n) for r in (run(f"t{i}", "torch", 0.001), run(f"t{i}", "tensorflow", 0.003),
                                         run(f"t{i}", "torch_compiled", 0.0005 * (1 + 0.05 * (i % 3))))]
    runs.append(run("t0", "tensorflow_lowlevel", 0.1, status="incorrect"))
    corpus = Corpus(Path("tasks"), tuple(task(f"t{i}") for i in range(n)))
    env = [RunEnvironment("m1", "cpu", None, "3.11", {"torch": "2", "tensorflow": "2"},
                          {"torch": 1.0, "tensorflow": 3.0}, 1, "0.1", "abc", "m1.json")]
    return build_report(corpus, records, runs, env, command="easeval report", corpus_revision="abc", static_only=False)
