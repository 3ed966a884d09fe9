"""Ctrl-C keeps every finished measurement, leaves no process behind, and a rerun resumes.

Checks run before timings: a measurement whose check passed but whose timing processes had not all
run is kept in the file as checked, and a rerun measures it again (only finished ones are reused)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.results import load_results

pytestmark = pytest.mark.slow  # every test here runs real framework workers

REPO = Path(__file__).resolve().parents[1]
FAULTS = Path(__file__).resolve().parent / "fault_corpus"
TASKS = ["fault_correct", "fault_hangs", "fault_wrong_answer"]
FAST = ["--framework", "torch", "--min-time", "0.05", "--max-time", "0.2", "--agree-within", "0"]  # every process


def processes_with(marker: str) -> list[int]:
    """Pids whose environment carries `marker` (the CLI, its workers and their children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def describe(pids: list[int]) -> str:
    """What each process is doing and how it treats signals, for a failure message."""
    lines = []
    for pid in pids:
        try:
            status = {k: v.strip() for k, v in (line.split(":", 1) for line in (Path(f"/proc/{pid}/status").read_text().splitlines()) if ":" in line)}
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:160]
            wchan = Path(f"/proc/{pid}/wchan").read_text()
            lines.append(f"{pid} ppid {status.get('PPid')} {status.get('State')} wchan {wchan} SigBlk {status.get('SigBlk')} "
                         f"SigIgn {status.get('SigIgn')} SigCgt {status.get('SigCgt')}: {cmd}")
        except OSError as exc:
            lines.append(f"{pid}: {exc}")
    return "\n".join(lines)


def wait_for(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


# `easeval ARGS...` with Ctrl-C raising KeyboardInterrupt even when SIGINT was ignored at start.
INTERRUPTIBLE = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                 "sys.argv[0] = 'easeval'; runpy.run_module('evaluator', run_name='__main__')")


def test_interrupted_run_keeps_results_and_resumes(tmp_path):
    results = tmp_path / "results"
    marker = f"EASEVAL_TEST_MARKER={uuid.uuid4().hex}"
    env = dict(os.environ, EASEVAL_TEST_MARKER=marker.split("=")[1])
    # A shell without job control starts background jobs with SIGINT ignored, and an ignored signal is
    # inherited: Python then installs no KeyboardInterrupt handler. Ctrl-C must reach the run however
    # this test suite was started (a CI runner may start it in the background), so the child installs
    # Python's handler itself (a preexec_fn would run Python between fork and exec in this process,
    # which may have started JAX's threads: see test_no_fork_after_threads.py).
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE, "run", "--tasks", str(FAULTS), *TASKS, "--timeout", "300",
         "--results", str(results), *FAST], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        def first_record_written() -> bool:
            files = list(results.glob("*.json"))
            return bool(files) and bool(json.loads(files[0].read_text())["records"])

        assert wait_for(first_record_written, 240), "the first measurement never reached the result file"
        time.sleep(1.0)  # the hanging measurement is now running
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            stdout, stderr = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail("the interrupted run did not exit in 60 s:\n" + describe(processes_with(marker)))
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr.decode()
    assert b"interrupted" in stdout
    assert wait_for(lambda: not processes_with(marker), 10), "a worker or child outlived the run"

    (interrupted,) = load_results(results)
    assert interrupted.run["interrupted"] and not interrupted.run["complete"]
    # The first process checks and times: fault_correct passed it, and its later processes had not begun.
    ((correct),) = interrupted.records
    assert (correct.task, correct.status) == ("fault_correct", "ok")
    assert len(correct.timing.replicates) == 1 and not correct.cacheable

    outcome = CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), *TASKS, "--timeout", "4",
                                        "--results", str(results), *FAST, "--format", "json"])
    resumed = {r["task"]: r for r in json.loads(outcome.stdout)}
    assert "cached_from" not in resumed["fault_correct"] and len(resumed["fault_correct"]["timing"]["replicates"]) == 3
    assert resumed["fault_hangs"]["status"] == "timeout"
    assert resumed["fault_wrong_answer"]["status"] == "incorrect"
    files = load_results(results)
    assert len(files) == 2
    finished = next(f for f in files if f.path != interrupted.path)
    again = CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), "fault_correct", "fault_wrong_answer",
                                      "--results", str(results), *FAST, "--format", "json"])
    reused = {r["task"]: r.get("cached_from") for r in json.loads(again.stdout)}
    assert reused == {"fault_correct": finished.path.name, "fault_wrong_answer": finished.path.name}


def test_run_killed_with_sigkill_keeps_a_valid_file_and_resumes(tmp_path):
    """SIGKILL gives easeval no chance to clean up: the workers must still die with it (PDEATHSIG),
    and the result file must hold every finished measurement, whole."""
    results = tmp_path / "results"
    marker = uuid.uuid4().hex
    proc = subprocess.Popen(
        [sys.executable, "-m", "evaluator", "run", "--tasks", str(FAULTS), *TASKS, "--timeout", "300",
         "--results", str(results), *FAST], cwd=REPO, env=dict(os.environ, EASEVAL_TEST_MARKER=marker),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def first_record_written() -> bool:
            files = list(results.glob("*.json"))
            return bool(files) and bool(json.loads(files[0].read_text())["records"])

        assert wait_for(first_record_written, 240), "the first measurement never reached the result file"
        time.sleep(1.0)  # the hanging measurement is now running
        proc.kill()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert wait_for(lambda: not processes_with(marker), 10), "a worker or child outlived the killed run"

    (killed,) = load_results(results)  # valid JSON, no problem reported
    assert not killed.run["complete"] and not killed.run["interrupted"] and killed.run["finished_at"] is None
    assert [(r.task, r.status) for r in killed.records] == [("fault_correct", "ok")]
    assert not list(results.glob(".*"))

    outcome = CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), "fault_correct", "fault_wrong_answer",
                                        "--results", str(results), *FAST, "--format", "json"])
    resumed = {r["task"]: r for r in json.loads(outcome.stdout)}
    assert resumed["fault_correct"]["status"] == "ok" and len(resumed["fault_correct"]["timing"]["replicates"]) == 3
    assert "cached_from" not in resumed["fault_correct"]  # its timing had not begun: measured again, whole
    assert resumed["fault_wrong_answer"]["status"] == "incorrect"
