"""--device cuda and auto, on any machine.

- No GPU visible (here: hidden with CUDA_VISIBLE_DEVICES=-1, which works on a GPU machine too):
  clean skipped records with the reason, and no worker started.
- The GPU branches of the harness (`gpu_models`, `cuda_visible`, `resolve_device`, the cuda path
  into the workers) run against a stand-in `nvidia-smi` that lists a GPU, with the real frameworks:
  their CPU builds raise NotImplementedError for cuda, which must give `skipped`, not `error`.
- Where a GPU is really visible, PyTorch is measured on it.
- An implementation that raises NotImplementedError for a device is `skipped` with its reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.base.environment import cuda_visible, gpu_models
from evaluator.results import load_results
from evaluator.runner.execute import resolve_device

FAULTS = Path(__file__).resolve().parent / "fault_corpus"
REAL_GPU = cuda_visible()  # read before any test puts a stand-in nvidia-smi on PATH
STAND_IN_GPU = {"name": "NVIDIA H100 80GB HBM3", "memory": "81559 MiB", "driver": "550.54.15"}
FAST = ["--min-time", "0.05", "--max-time", "0.2", "--format", "json"]


@pytest.fixture
def gpu_hidden(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "-1")


@pytest.fixture
def nvidia_smi_lists_a_gpu(tmp_path, monkeypatch):
    """A stand-in nvidia-smi, first on PATH, that lists one GPU (the workers inherit it too)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    smi = folder / "nvidia-smi"
    smi.write_text("#!/bin/sh\necho '{name}, {memory}, {driver}'\n".format(**STAND_IN_GPU))
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)


def run_cli(*args: str):
    return CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), *args])


def test_cuda_without_a_visible_gpu_gives_skipped_records_with_the_reason(tmp_path, gpu_hidden):
    outcome = run_cli("fault_correct", "fault_raises", "--device", "cuda", "--results", str(tmp_path), "--format", "json")
    assert outcome.exit_code == 0, outcome.output
    records = json.loads(outcome.stdout)
    assert sorted((r["task"], r["framework"]) for r in records) == [
        ("fault_correct", "tensorflow"), ("fault_correct", "torch"), ("fault_raises", "torch")]
    assert all(r["status"] == "skipped" and r["device"] == "cuda" for r in records)
    assert all("no NVIDIA GPU visible" in r["error"] for r in records)
    assert all(r["timing"] is None and r["wall_s"] is None for r in records)  # no worker ran
    assert "TensorFlow was not measured on a GPU" in outcome.stderr
    assert "PyTorch was not measured on a GPU" in outcome.stderr
    assert "tested on CPU only" in outcome.stderr
    (result_file,) = load_results(tmp_path)  # skipped records are results too, but never reused
    assert len(result_file.records) == 3
    again = run_cli("fault_correct", "--device", "cuda", "--results", str(tmp_path), "--format", "json")
    assert all("cached_from" not in r for r in json.loads(again.stdout))


def test_a_hidden_gpu_is_not_visible_and_auto_picks_cpu(nvidia_smi_lists_a_gpu, monkeypatch):
    assert gpu_models() == [STAND_IN_GPU]
    assert cuda_visible() and resolve_device("auto") == "cuda"
    for hidden in ("-1", ""):
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", hidden)
        assert not cuda_visible() and not cuda_visible([STAND_IN_GPU])
        assert resolve_device("auto") == "cpu"
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    assert cuda_visible() and resolve_device("auto") == "cuda"


def test_auto_without_a_gpu_is_cpu_and_unknown_devices_are_refused(gpu_hidden):
    assert resolve_device("auto") == "cpu"
    assert resolve_device("cuda") == "cuda" and resolve_device("cpu") == "cpu"
    assert not cuda_visible([])
    with pytest.raises(ValueError, match="unknown device"):
        resolve_device("tpu")


@pytest.mark.slow
@pytest.mark.skipif(REAL_GPU, reason="a real GPU is visible: the stand-in would hide what the frameworks can do")
def test_frameworks_without_cuda_raise_not_implemented_and_are_skipped(nvidia_smi_lists_a_gpu, tmp_path):
    outcome = run_cli("fault_correct", "--device", "auto", "--results", str(tmp_path), *FAST)
    assert outcome.exit_code == 0, outcome.output  # skipped is not a failure
    records = {r["framework"]: r for r in json.loads(outcome.stdout)}
    assert {r["device"] for r in records.values()} == {"cuda"}  # auto chose cuda: nvidia-smi lists a GPU
    assert {r["status"] for r in records.values()} == {"skipped"}
    assert records["torch"]["error"] == "not supported: torch sees no CUDA device"
    assert records["tensorflow"]["error"].startswith("not supported: TensorFlow sees no GPU")
    assert records["torch"]["traceback"] is None and records["torch"]["wall_s"] > 0  # a worker ran and said so
    (result_file,) = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    assert result_file["environment"]["gpus"] == [STAND_IN_GPU] and result_file["run"]["options"]["device"] == "cuda"


def torch_has_cuda() -> bool:
    done = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available())"],
                          capture_output=True, text=True, timeout=120)
    return done.stdout.strip() == "True"


@pytest.mark.slow
@pytest.mark.skipif(not REAL_GPU, reason="no NVIDIA GPU visible")
def test_on_a_visible_gpu_pytorch_is_measured_on_it(tmp_path):
    if not torch_has_cuda():
        pytest.skip("this torch build has no CUDA")
    assert resolve_device("auto") == "cuda"
    outcome = run_cli("fault_correct", "--framework", "torch", "--device", "auto", "--results", str(tmp_path), *FAST)
    assert outcome.exit_code == 0, outcome.output
    (record,) = json.loads(outcome.stdout)
    assert record["status"] == "ok" and record["device"] == "cuda", record
    assert record["device_name"] and record["peak_device_bytes"] > 0
    assert record["timing"]["median_s"] > 0 and record["max_abs_error"] == 0.0
    (result_file,) = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    assert result_file["environment"]["gpus"] and result_file["environment"]["gpus"][0]["name"]


NEEDS_A_GPU = '''import torch


def setup(inputs, device):
    if device == "cpu":
        raise NotImplementedError("this model needs a GPU")
    return {"x": torch.from_numpy(inputs["x"]).to(device)}


def run(state):
    return {"y": state["x"] * 2}
'''


@pytest.mark.slow
def test_an_implementation_raising_not_implemented_for_its_device_is_skipped_with_its_reason(tmp_path):
    tasks = tmp_path / "tasks"
    (tasks / "gpu_only").mkdir(parents=True)
    for name in ("spec.py", "task.toml"):
        (tasks / "gpu_only" / name).write_text((FAULTS / "fault_correct" / name).read_text())
    (tasks / "gpu_only" / "torch_impl.py").write_text(NEEDS_A_GPU)
    (tasks / "gpu_only" / "tensorflow_impl.py").write_text((FAULTS / "fault_correct" / "tensorflow_impl.py").read_text())
    outcome = CliRunner().invoke(main, ["run", "--tasks", str(tasks), "--framework", "torch", "--device", "cpu",
                                        "--results", str(tmp_path / "results"), *FAST])
    assert outcome.exit_code == 0, outcome.output  # skipped, not a failure of the run
    (record,) = json.loads(outcome.stdout)
    assert record["status"] == "skipped" and record["error"] == "not supported: this model needs a GPU"
    assert record["traceback"] is None and record["timing"] is None  # neither set up nor timed
