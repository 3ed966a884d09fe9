"""The main job's report written early and after each stage, Ctrl-C, and verdicts marked pending or
disturbed (issue 24): real workers and files where a stage runs, synthetic evidence for the marks."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid

import pytest

from evaluator.claims.disturbed_timings import DISTURBED_CORES, MARK, PENDING, is_disturbed, shown_verdict
from evaluator.claims.report_builder import build_report
from evaluator.corpus.discovery import Corpus
from evaluator.report.markdown import render_markdown
from evaluator.report.pipeline import make_report
from evaluator.report.report_options import ReportOptions
from evaluator.results import ProcessTiming, Timing

from conftest import TASKS
from synthetic_evidence import records_for, run, task
from test_runner_resume import FAULTS, INTERRUPTIBLE, REPO, processes_with, wait_for


def _loaded(record, cores):
    processes = tuple(dataclasses.replace(p, others_cores=cores) for p in record.timing.replicates)
    return record.evolve(timing=Timing.from_processes(processes, method="synthetic", options={"processes": 3}))


def _report(runs, **kwargs):
    n = 10
    corpus = Corpus(__import__("pathlib").Path("tasks"), tuple(task(f"t{i}") for i in range(n)))
    return build_report(corpus, records_for(n, 0.7), runs, [], command="easeval report", corpus_revision="abc",
                        static_only=False, **kwargs)


def _runs(n=10, cores=None):
    runs = [r for i in range(n) for r in (run(f"t{i}", "torch", 0.001, first=0.2), run(f"t{i}", "tensorflow", 0.003, first=2.0))]
    return [_loaded(r, cores) for r in runs] if cores is not None else runs


def test_claims_from_timings_under_load_are_marked_and_withheld_on_the_one_screen_view():
    quiet, loaded = _report(_runs()), _report(_runs(cores=DISTURBED_CORES + 0.7))
    timed = [c.number for c in quiet.claims if c.primary is not None and c.primary.metric.source == "run"]
    assert timed, "the synthetic evidence decides at least one claim from timings"
    assert not any(MARK in c.marks for c in quiet.claims)
    for c in loaded.claims:
        assert (MARK in c.marks) == (c.number in timed), c.number
        if MARK in c.marks:
            assert any("easeval report --remeasure-disturbed" in line for line in c.evidence)
            assert not shown_verdict(c).startswith(("supported", "contradicted"))
    # A decided verdict from disturbed timings is withheld, naming what was measured.
    claim = dataclasses.replace(next(c for c in loaded.claims if MARK in c.marks), verdict="supported")
    assert shown_verdict(claim) == "withheld (timings disturbed; supported as measured)"
    # Exactly at the threshold is not disturbed; above it is.
    at, above = _loaded(run("t", "torch", 1.0), DISTURBED_CORES), _loaded(run("t", "torch", 1.0), DISTURBED_CORES + 0.01)
    assert not is_disturbed(at) and is_disturbed(above)


def test_a_report_written_before_the_execution_stage_marks_its_timing_claims_pending():
    report = _report([], pending=("execution", "debugging"))
    for c in report.claims:
        source = c.primary.metric.source if c.primary is not None else None
        expected = c.key == "debugging" or source == "run" or c.primary_metric in ("median_s", "first_call_s",
                                                                                  "loud_localised_share")
        assert (PENDING in c.marks) == expected, (c.number, c.primary_metric)
    assert any(PENDING not in c.marks for c in report.claims)   # the static claims are final already
    text = "\n".join(render_markdown(report))
    assert "Partial report: still being measured: execution, debugging." in text
    assert "Partial report" not in "\n".join(render_markdown(_report(_runs())))


@pytest.mark.slow
def test_the_main_job_writes_its_first_report_before_the_first_measurement_and_rewrites_it(tmp_path):
    shutil.copytree(TASKS / "scalar_gradient", tmp_path / "tasks" / "scalar_gradient")
    options = ReportOptions(tasks_dir=tmp_path / "tasks", results_dir=tmp_path / "results", output_dir=tmp_path / "out",
                            cache_dir=tmp_path / "cache", debug=False, docs=False)
    seen = []

    def on_progress(progress):
        if not seen and progress.stage.startswith("checking and timing"):
            seen.append(json.loads((tmp_path / "out" / "results.json").read_text()))

    outcome = make_report(options, on_progress=on_progress)
    (first,) = seen
    assert first["pending"] == ["execution"] and first["run_records"] == []
    assert {c["number"] for c in first["claims"] if "pending" in c["marks"]} >= {6}  # first calls: still to measure
    final = json.loads((tmp_path / "out" / "results.json").read_text())
    assert final["pending"] == [] and final["run_records"] and not any("pending" in c["marks"] for c in final["claims"])
    assert 0 < outcome.seconds["first report"] < outcome.seconds["total"]
    # A rerun measures nothing, so it writes the report once, at the end.
    again = make_report(options)
    assert "first report" not in again.seconds
    # ... and its inputs are those the first run's last report was made from (records read back from the
    # result file, not kept in memory): the report on disk stands, nothing is rendered (report_memo.py)
    assert "rendering" not in again.seconds


@pytest.mark.slow
def test_ctrl_c_leaves_the_report_of_what_finished_and_the_next_run_goes_on(tmp_path):
    marker = uuid.uuid4().hex
    out, results = tmp_path / "out", tmp_path / "results"
    args = ["report", "--tasks", str(FAULTS), "--results", str(results), "--output", str(out), "--no-debug", "--no-docs"]
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPTIBLE, *args], cwd=REPO,
                            env=dict(os.environ, EASEVAL_TEST_MARKER=marker), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        def measuring() -> bool:
            files = list(results.glob("*.json"))
            return bool(files) and any(r.get("timing") for r in json.loads(files[0].read_text())["records"])

        assert wait_for(measuring, 300), "no measurement reached the result file"
        assert (out / "report.md").exists(), "the first report is written before the first measurement"
        proc.send_signal(signal.SIGINT)
        _stdout, stderr = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr.decode()
    assert b"Run the same command again" in stderr
    assert wait_for(lambda: not processes_with(marker), 10), "a worker outlived the run"
    data = json.loads((out / "results.json").read_text())
    assert data["pending"] == ["execution (interrupted)"]
    assert "the run was interrupted during execution" in (out / "report.md").read_text()
    kept = [r for r in data["run_records"] if r.get("timing")]
    assert kept, "what finished before Ctrl-C is in the report"


def test_a_noisy_host_is_named_on_the_summary_from_the_spread_of_its_processes():
    from evaluator.claims.disturbed_timings import NOISY_HOST_SPREAD, noisy_host

    def spread_run(i, spread):
        processes = tuple(ProcessTiming(median_s=m, samples_s=(m,), iqr_s=0.0) for m in (1.0, 1.0 + spread))
        return run(f"t{i}", "torch", 1.0).evolve(timing=Timing.from_processes(processes, options={"processes": 3}))

    quiet = [spread_run(i, 0.03) for i in range(6)]
    noisy = [spread_run(i, 0.4) for i in range(6)]
    assert noisy_host(quiet) is None
    line = noisy_host(noisy)
    assert line is not None and "disagreed by" in line and f"{NOISY_HOST_SPREAD:.0%}" in line
    assert line in _report(noisy).headline and noisy_host(quiet[:4] + noisy[:4][:0]) is None
    assert "rerun on a quiet machine" in line            # no load figures: the usual advice
    # The processes disagree while nothing else ran: the host's own variation, which a rerun will not remove.
    calm = [_loaded(r, 0.02) for r in noisy]
    assert "not load" in noisy_host(calm) and "rerun on a quiet machine" not in noisy_host(calm)
    assert "not load" not in noisy_host([_loaded(r, DISTURBED_CORES) for r in noisy])


def test_a_rerun_that_changed_nothing_keeps_the_report_and_any_change_computes_it_again(tmp_path):
    from evaluator.report.report_memo import MEMO_FILE

    shutil.copytree(TASKS / "scalar_gradient", tmp_path / "tasks" / "scalar_gradient")
    out = tmp_path / "out"
    options = ReportOptions(tasks_dir=tmp_path / "tasks", results_dir=tmp_path / "results", output_dir=out,
                            cache_dir=tmp_path / "cache", static_only=True)
    first = make_report(options)
    assert "rendering" in first.seconds and (out / MEMO_FILE).is_file()
    html = (out / "report.html").stat().st_mtime_ns
    same = make_report(options)
    assert "rendering" not in same.seconds                      # nothing changed: nothing written
    assert (out / "report.html").stat().st_mtime_ns == html
    assert [c.verdict for c in same.report.claims] == [c.verdict for c in first.report.claims]
    impl = tmp_path / "tasks" / "scalar_gradient" / "torch_impl.py"
    impl.write_text(impl.read_text() + "\n\ndef unused_helper(x):\n    return x + 1\n")
    changed = make_report(options)                              # a file changed: computed and written again
    assert "rendering" in changed.seconds
    assert changed.report.static_records != first.report.static_records
    (out / "report.md").unlink()
    assert "rendering" in make_report(options).seconds          # a report file gone: written again
    assert (out / "report.md").is_file()
    (out / MEMO_FILE).write_bytes(b"not a pickle")
    assert "rendering" in make_report(options).seconds          # an unreadable memo is ignored
