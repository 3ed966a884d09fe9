"""No process is forked after a multithreaded framework started: JAX warns "os.fork() was called"
when it is (its at-fork hook, installed when its backend starts), and such a fork can deadlock.

- The static analysis's process pool forks from a forkserver, never from the caller, so a caller
  that already ran JAX (a test session, a notebook) is safe.
- The runner's worker imports its framework but runs no op before it forks a child per job, so no
  backend (and no framework thread pool) exists at the fork: the warning never fires there.
- conftest.py fails the whole session if the warning is recorded by any test.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.commands.task_check import check_corpus
from evaluator.corpus.discovery import discover

REPO = Path(__file__).resolve().parents[1]
WARNING = "os.fork() was called"


def test_the_analysis_pool_does_not_fork_a_process_that_ran_jax(tmp_path):
    pytest.importorskip("jax")
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text("import torch\n\nx = torch.zeros(3)\n")
    script = (
        "import warnings; warnings.simplefilter('always')\n"
        "import jax.numpy as jnp\n"
        "jnp.zeros(3).block_until_ready()  # the backend starts: JAX installs its at-fork warning\n"
        "from pathlib import Path\n"
        "from evaluator.analysis.corpus_analysis import analyze\n"
        f"result = analyze([Path({str(tmp_path)!r})], cache_dir=None, workers=2)\n"
        "print('analysed', len(result.files))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "analysed 3" in done.stdout
    assert WARNING not in done.stderr, done.stderr


def test_the_same_script_with_a_plain_fork_warns(tmp_path):
    """The detector works: a plain fork after JAX started does print the warning."""
    pytest.importorskip("jax")
    script = (
        "import os, warnings; warnings.simplefilter('always')\n"
        "import jax.numpy as jnp\n"
        "jnp.zeros(3).block_until_ready()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert WARNING in done.stderr


@pytest.mark.slow
def test_the_jax_worker_forks_before_any_backend_starts(tmp_path):
    pytest.importorskip("jax")
    corpus = discover(REPO / "tasks").select(["matmul_einsum"])
    report = check_corpus(corpus, workdir=tmp_path)
    jax_outcomes = [o for o in report.outcomes if o.job.implementation.framework == "jax"]
    assert jax_outcomes and all(o.status == "ok" for o in jax_outcomes), [o.result for o in jax_outcomes]
    logs = sorted(tmp_path.glob("jax-*/worker.log"))
    assert logs, sorted(p.name for p in tmp_path.iterdir())
    for log in logs:
        assert WARNING not in log.read_text(errors="replace"), log


def test_the_session_guard_fails_a_run_that_forks_after_jax(tmp_path):
    """conftest.py's guard, run on a copy: one test that forks after JAX started fails the session."""
    pytest.importorskip("jax")
    (tmp_path / "conftest.py").write_text((Path(__file__).with_name("conftest.py")).read_text())
    (tmp_path / "test_forks.py").write_text(
        "import os\n\n\ndef test_forks_after_jax():\n"
        "    import jax.numpy as jnp\n    jnp.zeros(3).block_until_ready()\n"
        "    pid = os.fork()\n    if pid == 0:\n        os._exit(0)\n    os.waitpid(pid, 0)\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert "1 passed" in done.stdout, done.stdout
    assert done.returncode == 1, done.stdout
    assert "os.fork() after a multithreaded framework started, in: test_forks.py::test_forks_after_jax" in done.stdout
