"""A full disk under --results or --output: one line saying which folder is full and what was kept,
exit 1, the files written before intact, and a rerun after freeing space resumes.

Two ways to fill a disk: a write that raises ENOSPC for one folder (any machine, and it can let the
first writes through), and a real 2 MiB tmpfs filled to the last byte (needs root to mount; skipped
where mounting is not permitted).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.report.report_memo import MEMO_FILE
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.results import scan_results

from conftest import TASKS

REPO = Path(__file__).resolve().parents[1]
FAULTS = Path(__file__).resolve().parent / "fault_corpus"
# `--size nope`: every record is `skipped` (the tasks declare no such size) and no worker starts, yet each
# record is written to the result file like any measurement.
NO_WORKER = ["fault_correct", "fault_raises", "--size", "nope"]
REPORT_FILES = ("report.md", "report.html", "results.json", "metrics.csv")


def fail_writes_into(monkeypatch, folder: Path, allowed: int) -> None:
    """After `allowed` files have been written into `folder`, every further write there fails with ENOSPC.

    Atomic writes end with `os.replace(temp, final)`: failing there is failing the write, whichever
    helper does it."""
    real_replace = os.replace
    done = []

    def replace(src, dst, *args, **kwargs):
        if Path(dst).parent == folder:
            if len(done) >= allowed:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
            done.append(dst)
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def records_in(result_file: Path) -> list[dict]:
    """The records of a result file, read as its format says (the file, not easeval's classes)."""
    return json.loads(result_file.read_text())["records"]


def error_lines(output: str) -> list[str]:
    assert "Traceback" not in output and "Errno" not in output, output
    return [line for line in output.splitlines() if line.startswith("Error:")]


@pytest.mark.parametrize("allowed, kept_text", [(0, "no measurement of this run was saved"),
                                                (1, "1 measurement(s) of this run are kept in ")])
def test_run_on_a_full_disk_says_in_one_line_what_is_kept(tmp_path, monkeypatch, allowed, kept_text):
    results = tmp_path / "results"
    fail_writes_into(monkeypatch, results, allowed)
    outcome = CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), *NO_WORKER, "--results", str(results)])
    assert outcome.exit_code == 1
    (line,) = error_lines(outcome.output)
    assert f"the disk holding {results} is full (No space left on device)" in line
    assert kept_text in line and "rerun the same command to resume" in line
    files = list(results.glob("*.json"))
    assert len(files) == allowed and not list(results.glob(".*"))  # no temporary file left behind
    if allowed:
        assert str(files[0]) in line
        assert [r["task"] for r in records_in(files[0])] == ["fault_correct"]
        assert not scan_results(results).problems


@pytest.fixture(scope="module")
def small_tasks(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tasks")
    shutil.copytree(TASKS / "matmul_einsum", root / "matmul_einsum")
    return root


def static_report(tasks: Path, out: Path, **kwargs):
    return CliRunner().invoke(main, ["report", "--static-only", "--tasks", str(tasks), "--output", str(out)], **kwargs)


def test_report_on_a_full_disk_says_which_files_are_new_and_keeps_the_others_whole(tmp_path, monkeypatch, small_tasks):
    out = tmp_path / "out"
    assert static_report(small_tasks, out).exit_code == 0
    before = {name: (out / name).stat().st_ino for name in REPORT_FILES}
    (out / MEMO_FILE).unlink()  # else the unchanged rerun keeps the report and writes nothing (report_memo.py)
    fail_writes_into(monkeypatch, out, allowed=1)
    outcome = static_report(small_tasks, out)
    assert outcome.exit_code == 1
    (line,) = error_lines(outcome.output)
    assert f"the disk holding {out} is full (No space left on device)" in line
    assert "report.md replaced, report.html, results.json, metrics.csv not" in line
    after = {name: (out / name).stat().st_ino for name in REPORT_FILES}
    assert after["report.md"] != before["report.md"]  # replaced whole (a new file renamed over it)
    assert {n: after[n] for n in REPORT_FILES[1:]} == {n: before[n] for n in REPORT_FILES[1:]}
    assert json.loads((out / "results.json").read_text())["static_only"] is True  # the old one, still whole
    assert not [p for p in out.glob(".*") if p.name != MEMO_FILE]  # no temporary file left


@pytest.mark.slow
def test_disk_full_mid_run_keeps_the_first_measurement_and_a_rerun_resumes(tmp_path, monkeypatch):
    """Writes: the first (checking) processes (fault_correct ok with its first timing, fault_wrong_answer
    incorrect), then fault_correct after its second and third processes (--agree-within 0: every process);
    the disk fills at the fourth, so fault_correct's timing is unfinished."""
    results = tmp_path / "results"
    args = ["run", "--tasks", str(FAULTS), "fault_correct", "fault_wrong_answer", "--framework", "torch",
            "--min-time", "0.15", "--max-time", "0.6", "--agree-within", "0", "--results", str(results)]
    with monkeypatch.context() as patch:
        fail_writes_into(patch, results, allowed=3)
        outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 1
    (line,) = error_lines(outcome.output)
    (kept,) = results.glob("*.json")
    assert f"2 measurement(s) of this run are kept in {kept}" in line
    kept_records = records_in(kept)
    assert [(r["task"], r["status"]) for r in kept_records] == [("fault_correct", "ok"), ("fault_wrong_answer", "incorrect")]
    assert len(kept_records[0]["timing"]["replicates"]) == 2  # the third process's result found the disk full

    resumed = CliRunner().invoke(main, [*args, "--format", "json"])
    records = {r["task"]: r for r in json.loads(resumed.stdout)}
    assert records["fault_wrong_answer"]["cached_from"] == kept.name  # finished: not measured again
    assert "cached_from" not in records["fault_correct"] and len(records["fault_correct"]["timing"]["replicates"]) == 3


# --- a real full disk -------------------------------------------------------------------------------

@pytest.fixture
def tmpfs(tmp_path):
    """A 2 MiB tmpfs, and a function that fills it to the last byte."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")

    def fill() -> None:
        chunk = b"\0" * 4096
        with open(mount_point / "filler", "wb", buffering=0) as handle:
            while True:
                try:
                    handle.write(chunk)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
        assert shutil.disk_usage(mount_point).free == 0

    try:
        yield mount_point, fill
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def easeval(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "evaluator", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def test_run_on_a_real_full_disk_keeps_the_earlier_file_and_resumes_after_freeing_space(tmpfs):
    disk, fill = tmpfs
    results = disk / "results"
    args = ["run", "--tasks", str(FAULTS), *NO_WORKER, "--results", str(results)]
    assert easeval(*args).returncode == 0
    (earlier,) = results.glob("*.json")
    text = earlier.read_text()

    fill()
    full = easeval(*args)
    assert full.returncode == 1
    assert full.stderr.strip().splitlines() == [
        f"Error: the disk holding {results} is full (No space left on device): no measurement of this run was "
        "saved; free some space and rerun the same command to resume (kept measurements are reused)"]
    assert list(results.glob("*.json")) == [earlier] and earlier.read_text() == text
    assert len(records_in(earlier)) == 3 and not list(results.glob(".*"))

    (disk / "filler").unlink()
    assert easeval(*args).returncode == 0
    assert len(list(results.glob("*.json"))) == 2 and not scan_results(results).problems


def test_report_on_a_real_full_disk_leaves_the_previous_report_whole(tmpfs, small_tasks):
    disk, fill = tmpfs
    out = disk / "out"
    assert easeval("report", "--static-only", "--tasks", str(small_tasks), "--output", str(out)).returncode == 0
    before = {name: (out / name).read_bytes() for name in REPORT_FILES}
    (out / MEMO_FILE).unlink()  # else the unchanged rerun keeps the report and writes nothing (report_memo.py)

    fill()
    full = easeval("report", "--static-only", "--tasks", str(small_tasks), "--output", str(out))
    assert full.returncode == 1
    (line,) = [line for line in full.stderr.splitlines() if not line.startswith("easeval report: ")]
    assert line == (f"Error: the disk holding {out} is full (No space left on device): no report file replaced "
                    "(the previous report there is unchanged); free some space and rerun (measurements are cached)")
    assert {name: (out / name).read_bytes() for name in REPORT_FILES} == before
    assert not [p for p in out.glob(".*") if p.name != MEMO_FILE]  # no temporary file left
