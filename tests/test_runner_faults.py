"""`easeval run` on the fault corpus: each fault gets its own status and nothing else is lost.

One real run (torch workers, real forks, real signals) serves the module; the memory probe runs
first so that the measurement after it shows that peaks do not leak from one measurement to the next.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.results import load_results, latest_records, scan_results
from evaluator.runner.timing import summarize

pytestmark = pytest.mark.slow  # every test here runs real framework workers

FAULTS = Path(__file__).resolve().parent / "fault_corpus"
EXPECTED = {
    "memory_256mib": "ok",
    "fault_correct": "ok",
    "fault_raises": "error",
    "fault_hangs": "timeout",
    "fault_wrong_answer": "incorrect",
    "fault_nan": "incorrect",
    "fault_abort": "crashed",
    "fault_huge_allocation": "oom",
}
MiB = 2**20
# Three timing processes share the budget: each gets 0.05 s to 0.2 s of blocks.
FAST = ["--framework", "torch", "--min-time", "0.15", "--max-time", "0.6", "--format", "json"]


def run_cli(*args: str):
    return CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory):
    results = tmp_path_factory.mktemp("results")
    outcome = run_cli(*EXPECTED, "--timeout", "8", "--memory-limit", "1024", "--results", str(results),
                      "--machine", "alpha", *FAST)
    records = {r["task"]: r for r in json.loads(outcome.stdout)}
    return outcome, records, results


def test_each_fault_gets_its_own_status_and_every_measurement_is_kept(fault_run):
    outcome, records, _ = fault_run
    assert {task: r["status"] for task, r in records.items()} == EXPECTED
    assert outcome.exit_code == 1  # some measurements failed


def test_error_keeps_the_traceback(fault_run):
    record = fault_run[1]["fault_raises"]
    assert record["error"] == "ValueError in run(state): deliberate failure in run"
    assert "fault_raises/torch_impl.py" in record["traceback"] and "raise ValueError" in record["traceback"]


def test_timeout_crash_oom_and_nan_say_what_happened(fault_run):
    records = fault_run[1]
    assert "no result after 8 s" in records["fault_hangs"]["error"]
    assert "SIGABRT" in records["fault_abort"]["error"]
    oom = records["fault_huge_allocation"]["error"]
    assert "can't allocate memory" in oom and "memory limit: 1024 MiB" in oom
    assert "non-finite" in records["fault_nan"]["error"]
    assert records["fault_nan"]["timing"]["median_s"] is None  # incorrect results are never timed


def test_ok_record_has_correctness_timing_memory_and_provenance(fault_run):
    record = fault_run[1]["fault_correct"]
    assert record["max_rel_error"] == 0.0 and record["tolerance_ratio"] == 0.0  # 2x is exact in float32
    timing = record["timing"]
    processes = timing["replicates"]
    # Two or three independent processes (fresh worker interpreters, one per timing round), the budget (FAST)
    # split: a third only when the first two medians differ by more than agree_within (5%).
    assert timing["options"]["processes"] == 3 and timing["options"]["agree_within"] == 0.05
    medians = [p["median_s"] for p in processes]
    settled = (max(medians[:2]) - min(medians[:2])) / (sum(medians[:2]) / 2) <= 0.05
    assert len(processes) == (2 if settled else 3)
    assert len({p["worker_pid"] for p in processes}) == len(processes) == len({p["pid"] for p in processes})
    # each ran on one CPU (one intra-op thread), the same for all; page faults and others' load recorded
    assert all(p["cpus"] == [max(os.sched_getaffinity(0))] for p in processes)
    assert all(p["faults_per_call"] >= 0 and p["others_cores"] >= 0 for p in processes)
    assert timing["options"]["min_time_s"] == 0.15 and timing["options"]["max_time_s"] == 0.6
    for process in processes:
        samples, number = process["samples_s"], process["number_per_sample"]
        # Each process's summary is its samples' own (not a separate clock), within its share of the budget.
        assert samples and min(samples) > 0
        own = summarize(samples)
        assert (own["median_s"], own["iqr_s"]) == pytest.approx((process["median_s"], process["iqr_s"]))
        blocks_s = sum(samples) * number
        assert blocks_s >= 0.05 and process["stop_reason"] in ("dispersion", "max_time")
        if process["stop_reason"] == "dispersion":  # Timer's rule: more than 3 blocks, IQR under 10%
            assert len(samples) > 3 and process["iqr_s"] < 0.1 * process["median_s"]
        else:  # the block that crossed max_time was the last one
            assert blocks_s - samples[-1] * number <= 0.2 < blocks_s
        assert process["total_run_s"] == pytest.approx(blocks_s + process["warmup"]["seconds"])
        assert 0 < process["setup_s"] + process["first_call_s"] + process["total_run_s"]
    # The record: the median of the process medians, the pooled samples, the first process's first call.
    medians = sorted(p["median_s"] for p in processes)
    assert timing["median_s"] == pytest.approx(__import__("statistics").median(medians), rel=1e-12)
    assert timing["samples_s"] == [s for p in processes for s in p["samples_s"]]
    assert timing["first_call_s"] == processes[0]["first_call_s"]
    # The processes (the first one checks too) run in measured children, whose wall times add up to the record's.
    assert sum(p["setup_s"] + p["first_call_s"] + p["total_run_s"] for p in processes) < record["wall_s"]
    assert record["baseline_rss_bytes"] <= record["peak_rss_bytes"] and record["rss_method"] == "vmhwm-reset"
    assert len(record["code_hash"]) == 64 and record["threads"] == 1 and record["framework_version"]
    assert record["machine"] == "alpha" and record["device"] == "cpu" and record["size"] == "small"


def test_peak_memory_is_the_measurements_own(fault_run):
    records = fault_run[1]
    probe, after = records["memory_256mib"], records["fault_correct"]
    added = probe["peak_rss_bytes"] - probe["baseline_rss_bytes"]
    assert 256 * MiB <= added < 320 * MiB
    # The next measurement forks from the same worker: nothing of the 256 MiB is left in it.
    assert after["peak_rss_bytes"] - after["baseline_rss_bytes"] < 64 * MiB
    assert after["fork_rss_bytes"] < probe["fork_rss_bytes"] + 32 * MiB
    assert after["peak_rss_bytes"] < probe["peak_rss_bytes"] - 200 * MiB


def test_result_file_holds_every_record_with_provenance(fault_run):
    _, records, results = fault_run
    (result_file,) = load_results(results)
    assert sorted(r.task for r in result_file.records) == sorted(EXPECTED)
    assert result_file.run["complete"] and not result_file.run["interrupted"]
    env = result_file.environment
    assert env.frameworks["torch"].import_seconds > 0 and env.python and env.cpu_model
    assert env.easeval and "commit" in env.corpus
    assert result_file.path.name.startswith("alpha-")


def test_rerun_reuses_results_and_skips_corrupt_files(fault_run, tmp_path):
    _, records, results = fault_run
    folder = tmp_path / "results"
    shutil.copytree(results, folder)
    (original,) = folder.glob("*.json")
    text = original.read_text()
    (folder / "truncated.json").write_text(text[: len(text) // 2])
    (folder / "garbage.json").write_bytes(b"\x00\xff not json")
    outcome = run_cli("fault_correct", "fault_wrong_answer", "--results", str(folder), "--machine", "alpha", *FAST)
    rerun = {r["task"]: r for r in json.loads(outcome.stdout)}
    assert rerun["fault_correct"]["cached_from"] == original.name
    assert rerun["fault_correct"]["timing"] == records["fault_correct"]["timing"]
    assert rerun["fault_wrong_answer"]["status"] == "incorrect" and rerun["fault_wrong_answer"]["cached_from"]
    assert "truncated.json" in outcome.stderr and "garbage.json" in outcome.stderr
    assert "nothing new" in outcome.stderr  # every measurement was reused: no worker, no new file
    assert sorted(p.name for p in folder.glob("*.json")) == sorted([original.name, "truncated.json", "garbage.json"])
    scan = scan_results(folder)
    assert [f.path for f in scan.files] == [original]
    assert {p.path.name for p in scan.problems} == {"truncated.json", "garbage.json"}


def test_force_measures_again_into_a_new_file(fault_run, tmp_path):
    _, _, results = fault_run
    folder = tmp_path / "results"
    shutil.copytree(results, folder)
    outcome = run_cli("fault_correct", "--results", str(folder), "--machine", "alpha", "--force", *FAST)
    (record,) = json.loads(outcome.stdout)
    assert record["status"] == "ok" and "cached_from" not in record
    assert len(list(folder.glob("*.json"))) == 2


def test_results_from_two_machines_merge_by_copying_files(fault_run, tmp_path):
    _, _, alpha_results = fault_run
    beta_results = tmp_path / "beta"
    outcome = run_cli("fault_correct", "--results", str(beta_results), "--machine", "beta", *FAST)
    assert outcome.exit_code == 0, outcome.output
    merged = tmp_path / "merged"
    merged.mkdir()
    for path in [*alpha_results.glob("*.json"), *beta_results.glob("*.json")]:
        shutil.copy(path, merged)
    files = load_results(merged)
    assert sorted(f.environment.machine for f in files) == ["alpha", "beta"]
    correct = [r for r in latest_records(files) if r.task == "fault_correct"]
    assert sorted(r.machine for r in correct) == ["alpha", "beta"]
    assert all(r.ok for r in correct)
