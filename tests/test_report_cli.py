"""`easeval report` end to end: real static analysis, real workers, real files."""

import json
import shutil

import pytest
from click.testing import CliRunner

from evaluator.cli import main

from conftest import TASKS

SECTIONS = ("## Summary", "## Claims", "## Static metrics", "## APIs each side needed", "## Correctness and failures",
            "## Speed and memory", "## Environment", "## Reproduce", "## Threats to validity")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    for task_id in ("indexing_slicing", "scalar_gradient"):  # no Keras file: three backends' workers cost CI minutes
        shutil.copytree(TASKS / task_id, root / "tasks" / task_id)
    return root


def _report(root, *extra):
    return CliRunner().invoke(main, ["report", "--tasks", str(root / "tasks"), "--results", str(root / "results"),
                                     "--output", str(root / "out"), *extra], catch_exceptions=False)


def _debug_files(root):
    return [p for p in (root / "results" / "debug").glob("*.json") if p.name != "sites-cache.json"]


@pytest.mark.slow
def test_report_runs_everything_and_writes_four_files(small_corpus):
    result = _report(small_corpus)
    assert result.exit_code == 0, result.output
    out = small_corpus / "out"
    text = (out / "report.md").read_text()
    for section in SECTIONS:
        assert section in text, section
    assert "### Speed on cpu" in text and "| indexing_slicing | PyTorch | cpu |" in text
    data = json.loads((out / "results.json").read_text())
    assert {r["status"] for r in data["run_records"]} == {"ok"}
    assert all(r["timing"]["samples_s"] for r in data["run_records"])
    assert data["environments"][0]["threads"] == 1 and data["environments"][0]["import_seconds"]["torch"] > 0
    assert (out / "metrics.csv").read_text().startswith("task,framework,variant,metric,value")
    assert "<svg" in (out / "report.html").read_text()
    assert f"Report: {out}/" in result.output
    # The main job plants the debugging matrix's bugs too (claim 8's evidence), in results/debug/.
    assert data["debugging"] is not None and len(_debug_files(small_corpus)) == 1
    assert "easeval report: debugging" in result.output

    again = _report(small_corpus)  # everything cached: nothing is measured again
    assert again.exit_code == 0
    assert "kept as it was: nothing it is made from changed" in again.output   # nor computed or written again
    assert len(list((small_corpus / "results").glob("*.json"))) == 1
    assert len(_debug_files(small_corpus)) == 1


def test_static_only_report_runs_no_code(small_corpus, tmp_path):
    result = CliRunner().invoke(main, ["report", "--static-only", "--tasks", str(small_corpus / "tasks"),
                                       "--results", str(tmp_path / "results"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "results").exists()
    assert "Not run: the report was made with `--static-only`" in (tmp_path / "out" / "report.md").read_text()


def test_no_tasks_means_no_report_and_a_nonzero_exit(tmp_path):
    result = CliRunner().invoke(main, ["report", "--tasks", str(tmp_path / "nope"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no report written" in result.output and "no tasks found" in result.output
    assert not (tmp_path / "out").exists()


def test_cuda_without_a_visible_gpu_still_writes_the_report(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "-1")  # no GPU visible, on a machine with one too
    result = CliRunner().invoke(main, ["report", "--device", "cuda", "--tasks", str(small_corpus / "tasks"),
                                       "--results", str(tmp_path / "results"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert len(data["run_records"]) == 5  # indexing_slicing (torch, TensorFlow), scalar_gradient (torch, TensorFlow, JAX)
    assert {r["status"] for r in data["run_records"]} == {"skipped"}
    assert all(r["device"] == "cuda" and "no NVIDIA GPU visible" in r["error"] for r in data["run_records"])
    assert "| indexing_slicing | PyTorch | cuda | skipped | no NVIDIA GPU visible here" in (tmp_path / "out" / "report.md").read_text()


def test_the_reproduce_command_keeps_no_debug():
    from pathlib import Path

    from evaluator.report.pipeline import ReportOptions
    assert ReportOptions(debug=False).command().endswith("--no-debug")
    assert "--no-debug" not in ReportOptions().command()
    assert ReportOptions(static_only=True, debug=False).command().endswith("--static-only")  # runs nothing anyway
    assert ReportOptions(tasks_dir=Path("t")).debug  # the main job decides claim 8 by default
