"""--device cuda and auto on a machine without an NVIDIA GPU: clean skipped records, no worker started."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.environment import cuda_visible
from evaluator.results import load_results
from evaluator.runner.execute import resolve_device


FAULTS = Path(__file__).resolve().parent / "fault_corpus"
pytestmark = pytest.mark.skipif(cuda_visible(), reason="this machine has an NVIDIA GPU")


def test_cuda_without_a_gpu_gives_skipped_records_with_the_reason(tmp_path):
    outcome = CliRunner().invoke(main, ["run", "fault_correct", "fault_raises", "--tasks", str(FAULTS), "--device", "cuda",
                                        "--results", str(tmp_path), "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    records = json.loads(outcome.stdout)
    assert sorted((r["task"], r["framework"]) for r in records) == [
        ("fault_correct", "tensorflow"), ("fault_correct", "torch"), ("fault_raises", "torch")]
    assert all(r["status"] == "skipped" and r["device"] == "cuda" for r in records)
    assert all("no NVIDIA GPU visible" in r["error"] for r in records)
    assert "TensorFlow was not measured on a GPU" in outcome.stderr
    assert "PyTorch was not measured on a GPU" in outcome.stderr
    assert "tested on CPU only" in outcome.stderr
    (result_file,) = load_results(tmp_path)  # skipped records are results too, but never reused
    assert len(result_file.records) == 3
    again = CliRunner().invoke(main, ["run", "fault_correct", "--tasks", str(FAULTS), "--device", "cuda",
                                      "--results", str(tmp_path), "--format", "json"])
    assert all("cached_from" not in r for r in json.loads(again.stdout))


def test_auto_picks_cpu_here_and_unknown_devices_are_refused():
    assert resolve_device("auto") == "cpu"
    assert resolve_device("cuda") == "cuda"
    with pytest.raises(ValueError, match="unknown device"):
        resolve_device("tpu")
