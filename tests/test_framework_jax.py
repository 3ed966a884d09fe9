"""The JAX adapter with real JAX: contract, threads set before the backend starts, outputs waited for.

Thread counts are read from Linux's /proc: XLA names its CPU intra-op threads "XLAEigen".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.corpus.discovery import discover
from evaluator.frameworks import get_adapter, installed_frameworks
from evaluator.runner.execute import run_corpus
from evaluator.runner.timing import TimingOptions

from conftest import REPO, TASKS

pytestmark = pytest.mark.skipif("jax" not in installed_frameworks(), reason="JAX is not installed (extra 'jax')")

JAX_CORPUS = Path(__file__).resolve().parent / "jax_corpus"
FAST = TimingOptions(min_time_s=0.05, max_time_s=0.2, warmup_s=0.02)
EXEMPLARS = ("matmul_einsum", "scalar_gradient", "mlp_training")

# Run in a fresh interpreter: the thread pool is sized once per process, when the backend starts.
COUNT_XLA_THREADS = """
import os, sys
from evaluator.frameworks import get_adapter
adapter = get_adapter("jax")
threads, order = int(sys.argv[1]), sys.argv[2]
assert "jax" not in sys.modules
if order == "worker":  # what the worker does: environment, import, then configure in the child
    adapter.prepare_environment(threads)
    adapter.import_framework()
adapter.configure(threads, 0, "cpu")
import jax.numpy as jnp
x = jnp.ones((256, 256))
adapter.block_until_ready(x @ x)
names = [open(f"/proc/self/task/{t}/comm").read() for t in os.listdir("/proc/self/task")]
print(sum("XLAEigen" in name for name in names))
"""


@pytest.fixture(scope="module")
def jax_adapter():
    return get_adapter("jax")


def test_constants(jax_adapter):
    assert (jax_adapter.NAME, jax_adapter.DISPLAY_NAME, jax_adapter.IMPORT_NAME) == ("jax", "JAX", "jax")
    assert jax_adapter.ORDER == 2 and jax_adapter.STYLE_NAME == "JAX" and jax_adapter.VARIANT_NAMES == {}
    assert jax_adapter.INSTALL_HINT.startswith("pip install 'easeval[jax]'")
    assert jax_adapter.is_installed() and jax_adapter.version() == "0.10.2"
    assert "cpu" in jax_adapter.available_devices()


@pytest.mark.parametrize("order", ["worker", "configure-only"])
@pytest.mark.parametrize("threads", [1, 3])  # 1 and 3 cannot both be the machine's core count
def test_configure_sets_xla_threads_before_the_backend_starts(threads, order):
    env = {k: v for k, v in os.environ.items() if k not in ("PJRT_NPROC", "NPROC")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-c", COUNT_XLA_THREADS, str(threads), order], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) == threads


def test_unavailable_device_is_not_implemented(jax_adapter, monkeypatch):
    if "cuda" in jax_adapter.available_devices():
        pytest.skip("this machine has a GPU for JAX")
    monkeypatch.setenv("PJRT_NPROC", "1")  # configure sets it: restore this process's environment afterwards
    with pytest.raises(NotImplementedError, match="JAX sees no cuda device"):
        jax_adapter.configure(1, 0, "cuda")
    assert jax_adapter.gpu_name() is None and jax_adapter.peak_memory("cpu") is None


def test_to_numpy_and_is_tensor(jax_adapter):
    import jax.numpy as jnp

    x = jnp.arange(6, dtype=jnp.float32).reshape(2, 3)
    assert jax_adapter.is_tensor(x) and not jax_adapter.is_tensor(np.ones(3)) and not jax_adapter.is_tensor(1.5)
    converted = jax_adapter.to_numpy(x)
    assert isinstance(converted, np.ndarray) and converted.dtype == np.float32
    np.testing.assert_array_equal(converted, np.arange(6, dtype=np.float32).reshape(2, 3))
    assert jax_adapter.to_numpy(x.astype(jnp.bfloat16)).dtype == np.float32  # NumPy proper has no bfloat16
    assert jax_adapter.to_numpy(2.5) == np.asarray(2.5)
    assert x.dtype == jnp.float32 and jnp.ones(2).dtype == jnp.float32  # x64 stays off


def _slow_computation():
    """A result that takes far longer to compute than to dispatch (four 2000x2000 matmuls)."""
    import jax
    import jax.numpy as jnp

    x = jnp.ones((2000, 2000)) / 2000
    chain = jax.jit(lambda a: ((a @ a) @ a) @ a)
    chain(x).block_until_ready()  # compiled outside the measurement
    return chain(x)


def test_block_until_ready_waits_for_every_array_of_an_output_tree(jax_adapter):
    output = {"chain": [_slow_computation()], "scalar": 1.0}
    assert not output["chain"][0].is_ready()  # dispatch is asynchronous, on the CPU too
    jax_adapter.block_until_ready(output)
    assert output["chain"][0].is_ready()


def test_synchronize_waits_for_every_live_array(jax_adapter):
    pending = _slow_computation()
    assert not pending.is_ready()
    jax_adapter.synchronize("cpu")
    assert pending.is_ready()


@pytest.mark.slow
def test_matmul_einsum_runs_through_the_real_worker(tmp_path):
    result = CliRunner().invoke(main, ["run", "matmul_einsum", "--tasks", str(TASKS), "--framework", "jax",
                                       "--results", str(tmp_path), "--size", "small", "--min-time", "0.05", "--max-time", "0.2",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert (record["framework"], record["impl_key"], record["status"]) == ("jax", "jax", "ok"), record
    assert record["framework_version"] == "0.10.2" and record["threads"] == 1
    assert record["timing"]["median_s"] > 0 and record["timing"]["first_call_s"] > 0
    assert record["max_rel_error"] < 1e-4


@pytest.mark.slow
def test_the_worker_gives_xla_the_harness_thread_count(tmp_path):
    summary = run_corpus(discover(JAX_CORPUS), task_ids=["xla_threads"], frameworks=["jax"], threads=1,
                         results_dir=tmp_path, timing=FAST, timeout=300)
    [record] = summary.records
    assert record.status == "ok", record.error


@pytest.mark.slow
def test_check_passes_for_the_exemplars_with_jax():
    result = CliRunner().invoke(main, ["check", "--tasks", str(TASKS), *EXEMPLARS])
    assert result.exit_code == 0, result.output
    # 13 files besides matmul_einsum's and mlp_training's keras_impl.py, which run on three backends each: 13 + 2 * 3
    assert "3 tasks, 19/19 implementations correct, 0 problem(s)" in result.output
    # JAX is implemented in every exemplar; only scalar_gradient lacks a Keras file (it needs a gradient API)
    assert "not implemented: JAX" not in result.output and "1 not implemented" in result.output
    assert all(discover(TASKS).select(list(EXEMPLARS)).tasks[i].implementation("jax") for i in range(3))


@pytest.mark.slow
def test_a_measurements_first_process_leaves_xla_executables_for_its_later_ones(tmp_path):
    # The timing processes of one measurement share a compiler-cache folder (runner/worker.py): on JAX
    # the first writes XLA's persistent cache there, so later processes load executables instead of
    # compiling again. The worker that forks them must not have started the cache itself (it would then
    # be fixed, unset, in every child), so the folder is written only if the child's hook took effect.
    # (That the later process loads rather than compiles is measured, not tested: evaluator/runner/README.md.)
    from evaluator.runner.scheduler import Job, run_jobs

    task = discover(TASKS).select(["matmul_einsum"]).tasks[0]
    measure = FAST.per_process().as_dict()
    caches = tmp_path / "caches"
    first = Job(task, task.implementation("jax"), "cpu", "small", measure=measure, cache_dir=caches)
    later = Job(task, task.implementation("jax"), "cpu", "small", measure=measure, cache_dir=caches, check=False,
                replicate=1)
    outcomes = run_jobs([first], tmp_path / "work", timeout=300, acknowledge=True)
    assert [o.status for o in outcomes] == ["ok"], outcomes[0].result
    entries = sorted(p.name for p in (caches / "jax").iterdir())
    assert entries and all(name.endswith(("-cache", "-atime")) for name in entries), entries
    outcomes = run_jobs([later], tmp_path / "work2", timeout=300, acknowledge=True)   # a later process reads them
    assert [o.status for o in outcomes] == ["ok"], outcomes[0].result
