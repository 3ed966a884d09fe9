"""The worker: one process per framework. Imports the framework once, then forks a child per job.

Run as `python -m evaluator.runner.worker JOB_FILE`. It imports only the standard library, NumPy, its
one framework and the small easeval modules that import nothing heavier. The fork gives each job
crash isolation (an abort or a segfault ends only that child), a clean allocator and peak-memory
state, and a peak RSS of its own from `os.wait4`, without paying the framework import again.
Frameworks must not have started their thread pools before the fork: the worker imports the framework
but runs no op itself.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from evaluator.runner.protocol import CRASHED, ERROR, INCORRECT, OK, OOM, SKIPPED, TIMEOUT, read_json, write_json_atomic


def load_module(path: str, name: str) -> ModuleType:
    """Import a file as a fresh module (task code: spec or implementation)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def execute_job(job: dict[str, Any], adapter: ModuleType, threads: int) -> dict[str, Any]:
    """Run one implementation in this (child) process and judge its output. Never raises."""
    import numpy as np

    from evaluator.comparison import compare_outputs, flatten_tree, normalize_tree, to_numpy_tree

    result: dict[str, Any] = {"job_id": job["job_id"], "status": ERROR, "error": None}
    phase = "starting"
    try:
        phase = "configuring the framework"
        adapter.configure(threads, job["seed"], job["device"])
        phase = "loading the spec"
        spec = load_module(job["spec_path"], "easeval_task_spec")
        phase = "making inputs (spec.make_inputs)"
        inputs = spec.make_inputs(np.random.default_rng(job["seed"]), **job["size"])
        phase = "importing the implementation"
        impl = load_module(job["impl_path"], "easeval_task_impl")
        for name in ("setup", "run"):
            if not callable(getattr(impl, name, None)):
                raise AttributeError(f"{job['impl_path']} defines no function {name}(...)")
        phase = "setup(inputs, device)"
        device = job["device"]
        start = time.perf_counter()
        state = impl.setup(inputs, device)
        adapter.synchronize(device)
        result["setup_seconds"] = time.perf_counter() - start
        phase = "run(state)"
        start = time.perf_counter()
        output = impl.run(state)
        adapter.synchronize(device)
        result["first_call_seconds"] = time.perf_counter() - start
        phase = "converting the output to NumPy"
        output = to_numpy_tree(output, adapter.to_numpy)
        phase = "checking the output"
        tol = job["tolerance"]
        if hasattr(spec, "reference"):
            comparison = compare_outputs(output, spec.reference(inputs), tol["rtol"], tol["atol"])
            result.update(
                max_abs_error=comparison.max_abs_error, max_rel_error=comparison.max_rel_error,
                tolerance_ratio=comparison.tolerance_ratio,
            )
            passed, message = comparison.passed, comparison.message
        else:  # property check where no exact reference exists
            failures = list(spec.check(output, inputs))
            passed, message = not failures, "; ".join(failures)
        if job.get("output_path"):
            np.savez(job["output_path"], **flatten_tree(normalize_tree(output)))
        measure = job.get("measure")
        if passed and measure:
            phase = "timing run(state)"
            from evaluator.runner.timing import measure_steady_state

            result["timing"] = measure_steady_state(impl.run, state, adapter, device, **measure)
        result.update(status=OK if passed else INCORRECT, error=message or None)
    except NotImplementedError as exc:
        result.update(status=SKIPPED, error=f"not supported: {exc}" if str(exc) else f"not supported in {phase}")
    except MemoryError:
        result.update(status=OOM, error=f"MemoryError in {phase}")
    except BaseException as exc:  # noqa: BLE001 - task code may raise anything; the run must go on
        result.update(status=ERROR, error=f"{type(exc).__name__} in {phase}: {exc}", traceback=traceback.format_exc())
    return result


def _wait_child(pid: int, timeout: float) -> tuple[int | None, Any, bool]:
    """Wait for `pid` up to `timeout` s; kill it past that. Returns (wait status, rusage, timed out)."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        done, status, rusage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, rusage, False
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            _, status, rusage = os.wait4(pid, 0)
            return status, rusage, True
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def run_job_in_child(job: dict[str, Any], adapter: ModuleType, threads: int) -> dict[str, Any]:
    """Fork, run the job in the child, and turn however the child ended into a result."""
    result_path = Path(job["result_path"])
    child_path = result_path.with_name(result_path.name + ".child")  # the parent publishes result_path
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            write_json_atomic(child_path, execute_job(job, adapter, threads))
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
            code = 70
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    started = time.perf_counter()
    status, rusage, timed_out = _wait_child(pid, job["timeout"])
    wall = time.perf_counter() - started
    peak_rss = rusage.ru_maxrss * 1024 if sys.platform != "darwin" else rusage.ru_maxrss
    if timed_out:
        result = {"job_id": job["job_id"], "status": TIMEOUT, "error": f"no result after {job['timeout']:g} s; killed"}
    elif child_path.exists():
        result = read_json(child_path)
        child_path.unlink()
    elif os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        # The kernel's OOM killer ends a process with SIGKILL; nothing else here sends it.
        kind = OOM if sig == signal.SIGKILL else CRASHED
        result = {"job_id": job["job_id"], "status": kind, "error": f"killed by signal {sig} ({signal.Signals(sig).name})"}
    else:
        code = os.WEXITSTATUS(status)
        result = {"job_id": job["job_id"], "status": CRASHED, "error": f"exited with code {code} before reporting a result"}
    result["peak_rss_bytes"] = peak_rss
    result["wall_seconds"] = wall
    write_json_atomic(result_path, result)
    return result


def main(argv: list[str]) -> int:
    spec = read_json(argv[0])
    from evaluator.frameworks import get_adapter

    adapter = get_adapter(spec["framework"])
    info: dict[str, Any] = {"framework": spec["framework"], "pid": os.getpid()}
    start = time.perf_counter()
    try:
        adapter.import_framework()
        info.update(import_seconds=time.perf_counter() - start, version=adapter.version(), error=None)
    except BaseException as exc:  # noqa: BLE001
        info.update(error=f"importing {adapter.IMPORT_NAME} failed: {type(exc).__name__}: {exc}", traceback=traceback.format_exc())
    write_json_atomic(spec["info_path"], info)
    if info["error"]:
        for job in spec["jobs"]:
            write_json_atomic(job["result_path"], {"job_id": job["job_id"], "status": ERROR, "error": info["error"]})
        return 1
    for job in spec["jobs"]:
        run_job_in_child(job, adapter, spec["threads"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
