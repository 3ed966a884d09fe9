"""The keras framework with real Keras: one keras_impl.py, one measurement per backend (tensorflow, torch,
jax), each chosen before Keras is imported; files that import a backend are task problems; the frozen
set ignores the new framework's files; the report's "Keras across backends" section."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.claims.cross_backend import cross_backend, cross_backend_line, run_key
from evaluator.claims.frozen_set import corpus_hashes, load_frozen, task_set
from evaluator.corpus.discovery import discover
from evaluator.frameworks import backends_of, get_adapter, installed_frameworks, run_name
from evaluator.results import Measurement, ProcessTiming, Timing
from evaluator.runner.run_plan import plan
from evaluator.runner.timing import TimingOptions
from evaluator.base.environment import collect_environment

from conftest import REPO

pytestmark = pytest.mark.skipif("keras" not in installed_frameworks(), reason="Keras is not installed")

KERAS_CORPUS = Path(__file__).resolve().parent / "keras_corpus"


def test_the_adapter_names_its_backends_and_runs():
    adapter = get_adapter("keras")
    assert backends_of("keras") == ("tensorflow", "torch", "jax") and backends_of("torch") == ()
    assert adapter.ORDER == 3 and set(adapter.installed_backends()) <= set(adapter.BACKENDS)
    assert run_name("keras", "torch") == "Keras (torch backend)" and run_name("torch", None) == "PyTorch"
    with pytest.raises(ValueError, match="unknown Keras backend"):
        adapter.select_backend("mxnet")


def test_a_keras_file_that_imports_a_backend_is_a_task_problem_with_file_and_line():
    corpus = discover(KERAS_CORPUS)
    problems = [p for p in corpus.all_problems if p.task_id == "keras_imports_torch"]
    assert len(problems) == 1
    assert problems[0].path.name == "keras_impl.py" and problems[0].message.startswith("line 2: imports torch")
    assert not [p for p in corpus.all_problems if p.task_id == "keras_dense"]


def test_one_keras_file_is_planned_once_per_backend_with_its_own_environment_key(tmp_path):
    corpus = discover(KERAS_CORPUS).select(["keras_dense"])
    env = collect_environment(KERAS_CORPUS, import_names={"keras": "keras", "torch": "torch", "tensorflow": "tensorflow",
                                                           "jax": "jax"})
    planned = plan(corpus, ["keras"], "cpu", ("small",), 1, env, TimingOptions(), tmp_path, {})
    assert [p.job.backend for p in planned] == ["tensorflow", "torch", "jax"]
    assert len({p.record.code_hash for p in planned}) == 1            # one file
    assert len({p.record.env_key for p in planned}) == 3              # three environments
    assert len({p.job.job_id for p in planned}) == 3 and len({p.record.merge_key() for p in planned}) == 3
    assert all(p.record.backend == p.job.backend and p.record.impl_key == "keras" for p in planned)


def test_a_framework_the_freeze_did_not_know_leaves_every_task_confirmatory():
    hashes = corpus_hashes(discover(REPO / "tasks"))
    frozen = load_frozen()
    with_keras = {task: {**files, "keras": "0" * 64} for task, files in hashes.items()}
    found = task_set(with_keras, frozen, "2")
    assert found.label == "confirmatory" and found.changed == () and len(found.used) == len(frozen.tasks)


def _record(task: str, impl_key: str, backend: str | None, medians: tuple[float, ...], status: str = "ok",
            first: float = 0.01) -> Measurement:
    processes = tuple(ProcessTiming(median_s=m, samples_s=(m, m, m), first_call_s=first) for m in medians)
    return Measurement(task=task, framework=impl_key, variant=None, impl_key=impl_key, status=status, backend=backend,
                       machine="m", threads=1, size="small", timing=Timing.from_processes(processes) if status == "ok" else None,
                       error=None if status == "ok" else "boom on this backend")


def test_cross_backend_pairs_keras_on_each_backend_with_that_backends_own_file():
    runs = []
    for task, factor in (("a", 2.0), ("b", 1.8), ("c", 2.2)):
        runs += [_record(task, "torch", None, (1.0, 1.1, 0.9)),
                 _record(task, "keras", "torch", (2.0 * factor / 2, 2.2 * factor / 2, 1.8 * factor / 2), first=0.04),
                 _record(task, "tensorflow", None, (3.0, 3.0, 3.1)), _record(task, "keras", "tensorflow", (3.0, 3.1, 2.9))]
    runs.append(_record("c", "keras", "jax", (), status="error"))
    summary = cross_backend("keras", [], runs)
    assert summary.backends == ("tensorflow", "torch", "jax")
    by_backend = {s.a_key: s for s in summary.speed}
    torch_speed = by_backend[run_key("keras", "torch")]
    assert torch_speed.b_key == "torch" and torch_speed.overall.n == 3
    assert torch_speed.overall.ratio == pytest.approx((2.0 * 1.8 * 2.2) ** (1 / 3), rel=1e-3)
    low, high = torch_speed.overall.ci
    assert 1.79 <= low <= torch_speed.overall.ratio <= high <= 2.21
    assert torch_speed.first_call is not None and torch_speed.first_call.result.ratio == pytest.approx(4.0, rel=1e-6)
    assert by_backend[run_key("keras", "tensorflow")].overall.ratio == pytest.approx(1.0, rel=0.05)
    assert summary.files == ("a", "b", "c") and summary.portable == ("a", "b")
    (failure,) = summary.failures
    assert (failure.task, failure.backend, failure.error) == ("c", "jax", "boom on this backend")
    assert "2 of 3 Keras file(s) correct on every backend" in cross_backend_line(summary, {"keras": "Keras"})


def test_the_report_has_the_keras_section_and_its_summary_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "evaluator", "report", "--tasks", str(KERAS_CORPUS), "--static-only",
                           "--no-debug", "--no-docs", "--output", str(tmp_path / "report"), "--results", str(tmp_path / "results")],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert "Keras across backends:" in done.stdout
    markdown = (tmp_path / "report" / "report.md").read_text()
    assert "## Keras across backends" in markdown and "### Keras vs PyTorch: static metrics" in markdown
    assert "Keras on the PyTorch backend" in markdown   # the threats say what it shows
    data = json.loads((tmp_path / "report" / "results.json").read_text())
    (keras,) = data["cross_backend"]
    assert keras["framework"] == "keras" and {c["b_key"] for c in keras["static"]} == {"torch", "tensorflow"}
    assert "keras" not in data["frameworks"] and not any("keras" in (c["a_key"], c["b_key"]) for c in data["static_comparisons"])


@pytest.mark.slow
def test_run_framework_keras_measures_the_file_on_every_backend(tmp_path):
    done = subprocess.run([sys.executable, "-m", "evaluator", "run", "keras_dense", "--tasks", str(KERAS_CORPUS),
                           "--framework", "keras", "--results", str(tmp_path), "--processes", "1", "--min-time", "0.05",
                           "--max-time", "0.1", "--format", "json"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr + done.stdout
    records = json.loads(done.stdout)
    assert sorted(r["backend"] for r in records) == sorted(get_adapter("keras").installed_backends())
    assert all(r["framework"] == "keras" and r["impl_key"] == "keras" and r["status"] == "ok" for r in records), records
    assert all(r["timing"]["median_s"] > 0 and r["timing"]["first_call_s"] > 0 for r in records)
    assert len({r["env_key"] for r in records}) == len(records) and len({r["code_hash"] for r in records}) == 1


_SEEDING = """
import sys
from evaluator.frameworks import get_adapter
adapter = get_adapter("keras")
adapter.select_backend(sys.argv[1], "cpu")
keras = adapter.import_framework()
draws = []
for _ in range(2):
    adapter.configure(1, 7, "cpu")
    draws.append(keras.ops.convert_to_numpy(keras.random.normal((3,))).tolist())
print(draws[0] == draws[1], "tensorflow" in sys.modules)
"""


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_seeding_keras_off_tensorflow_repeats_its_draws_without_importing_tensorflow(backend):
    # keras.utils.set_random_seed imports TensorFlow to seed it (2 to 3 s a measurement process); the
    # adapter seeds what Keras on this backend draws from, so the same seed repeats keras.random's draws.
    if not get_adapter(backend).is_installed():
        pytest.skip(f"{backend} is not installed")
    done = subprocess.run([sys.executable, "-c", _SEEDING, backend], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["True", "False"]
