"""The worker: one process per framework. Imports the framework once, then forks a child per job.

Run as `python -m evaluator.runner.worker JOB_FILE`. It imports only the standard library, NumPy, its
one framework and the small easeval modules that import nothing heavier. The fork gives each job
crash isolation (an abort or a segfault ends only that child), a clean allocator and peak-memory
state, and a peak RSS of its own, without paying the framework import again. Frameworks must not have
started their thread pools (or CUDA) before the fork: the worker imports the framework but runs no op.

Each child runs in its own process group (a timeout kills whatever it started too) and dies with
its worker; the worker dies with the parent (Linux `PR_SET_PDEATHSIG`), so nothing outlives a run.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

from evaluator.runner import memory
from evaluator.fileio import read_json, write_json_atomic
from evaluator.runner.protocol import CRASHED, ERROR, INCORRECT, OK, OOM, SKIPPED, TIMEOUT

_PR_SET_PDEATHSIG = 1


def load_module(path: str, name: str) -> ModuleType:
    """Import a file as a fresh module (task code: spec or implementation)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def innermost_task_frame(exc: BaseException, task_files: set[str]) -> dict[str, Any] | None:
    """The innermost traceback frame in the task's own files (implementation or spec), or None.

    That is the line the author wrote that raised, or that called the framework code that raised;
    easeval's own frames and the framework's are of no use to them.
    """
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in task_files]
    if not frames:
        return None
    frame = frames[-1]
    return {"file": frame.filename, "line": frame.lineno, "function": frame.name, "code": frame.line}


def wait_for(adapter: ModuleType, value: Any) -> Any:
    """`value` once computed: frameworks with asynchronous dispatch (JAX) return before the work is done."""
    if hasattr(adapter, "block_until_ready"):
        adapter.block_until_ready(value)
    return value


def die_with_parent(expected_parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if it already has."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's cleanup still kills workers
        return
    if os.getppid() != expected_parent:
        os._exit(75)


def execute_job(job: dict[str, Any], adapter: ModuleType, threads: int, deadline: float | None = None) -> dict[str, Any]:
    """Run one implementation in this (child) process: check its output, time it, or both. Never raises.

    `deadline` (a `time.perf_counter()` value) bounds steady-state timing.
    Order: inputs and reference first (harness work, before the memory baseline), then setup, the
    first call, the correctness check, and steady-state timing only for a correct output. A timing
    process (`job["check"]` false: an earlier process checked this output) computes no reference
    and judges nothing: setup, first call, steady state.
    """
    import numpy as np

    from evaluator.comparison import compare_outputs, flatten_tree, normalize_tree, repeat_difference, to_numpy_tree

    result: dict[str, Any] = {"job_id": job["job_id"], "status": ERROR, "error": None}
    timing: dict[str, Any] = {}
    result["timing"] = timing
    device = job["device"]
    rss_peaks: list[int] = []
    can_reset = False

    def read_peak() -> None:
        peak = memory.status_bytes("VmHWM")
        if peak is not None:
            rss_peaks.append(peak)

    phase = "starting"
    probe = None
    try:
        phase = "configuring the framework"
        adapter.configure(threads, job["seed"], device)
        if job.get("debug") is not None:  # `easeval debug`: aids on request, a training-step counter
            from evaluator.debugging.probe import install

            probe = install(adapter.NAME, job["debug"])
        if device == "cuda" and hasattr(adapter, "gpu_name"):
            result["device_name"] = adapter.gpu_name()
        phase = "loading the spec"
        spec = load_module(job["spec_path"], "easeval_task_spec")
        phase = "making inputs (spec.make_inputs)"
        inputs = spec.make_inputs(np.random.default_rng(job["seed"]), **job["size"])
        reference = None
        checking = job.get("check", True)
        if checking and hasattr(spec, "reference"):
            phase = "computing the reference (spec.reference)"
            reference = spec.reference(inputs)
        phase = "importing the implementation"
        impl = load_module(job["impl_path"], "easeval_task_impl")
        phase = "looking up setup and run"  # checked statically too; this catches names bound only at run time
        for name, signature in (("setup", "setup(inputs, device)"), ("run", "run(state)")):
            if not callable(getattr(impl, name, None)):
                raise AttributeError(f"{os.path.basename(job['impl_path'])} defines no function {signature}")

        can_reset = memory.reset_peak_rss()
        result["baseline_rss_bytes"] = memory.status_bytes("VmRSS")
        adapter.reset_peak_memory(device)
        phase = "setup(inputs, device)"
        start = time.perf_counter()
        state = wait_for(adapter, impl.setup(inputs, device))
        adapter.synchronize(device)
        timing["setup_s"] = time.perf_counter() - start
        phase = "run(state)"
        start = time.perf_counter()
        output = wait_for(adapter, impl.run(state))
        adapter.synchronize(device)
        timing["first_call_s"] = time.perf_counter() - start
        read_peak()

        passed, message = True, ""
        if checking:
            phase = "converting the output to NumPy"
            again = None  # a second call's output, where the task declares run pure
            if job.get("check_purity"):
                # Copies: to_numpy may share memory with a tensor the second call changes in place (a .grad).
                output = to_numpy_tree(output, lambda value: np.array(adapter.to_numpy(value)))
                phase = "calling run(state) a second time (task.toml: pure = true)"
                again = to_numpy_tree(wait_for(adapter, impl.run(state)), lambda value: np.array(adapter.to_numpy(value)))
            else:
                output = to_numpy_tree(output, adapter.to_numpy)
            phase = "checking the output"
            tol = job["tolerance"]
            if reference is not None:
                comparison = compare_outputs(output, reference, tol["rtol"], tol["atol"])
                result.update(
                    max_abs_error=comparison.max_abs_error, max_rel_error=comparison.max_rel_error,
                    tolerance_ratio=comparison.tolerance_ratio,
                )
                passed, message = comparison.passed, comparison.message
            else:  # property check where no exact reference exists
                failures = list(spec.check(output, inputs))
                passed, message = not failures, "; ".join(failures)
            if passed and again is not None:
                difference = repeat_difference(output, again)
                if difference:
                    passed, message = False, (
                        f"not pure: task.toml declares pure = true, but a second run(state) on the same state returned "
                        f"a different output: {difference}; reset what run() changes (a gradient that accumulates, a "
                        f"counter, an iterator) so that every call does the same work, or remove pure = true")
            if job.get("output_path"):  # for the cross-framework comparison; its failure is not the task's
                try:
                    np.savez(job["output_path"], **flatten_tree(normalize_tree(output)))
                except (OSError, ValueError, TypeError) as exc:
                    result["output_error"] = f"output not kept: {type(exc).__name__}: {exc}"
            del again
        del output, reference

        measure = job.get("measure")
        if passed and measure:
            phase = "timing run(state)"
            from evaluator.runner.timing import measure_steady_state

            if can_reset:  # the comparison's float64 temporaries must not count as the peak
                memory.reset_peak_rss()
            timing.update(measure_steady_state(impl.run, state, adapter, device, deadline=deadline, **measure))
            if hasattr(os, "sched_getaffinity"):
                timing["cpus"] = sorted(os.sched_getaffinity(0))
            read_peak()
        result["peak_device_bytes"] = adapter.peak_memory(device)
        result.update(status=OK if passed else INCORRECT, error=message or None)
    except NotImplementedError as exc:
        # A skip is no failure: no traceback, but the phase and message for `easeval debug`.
        fields = {k: v for k, v in _exception_fields(exc, phase).items() if k != "traceback"}
        result.update(status=SKIPPED, error=f"not supported: {exc}" if str(exc) else f"not supported in {phase}", **fields)
    except BaseException as exc:  # noqa: BLE001 - task code may raise anything; the run must go on
        status = OOM if memory.is_out_of_memory(exc) else ERROR
        error = f"{type(exc).__name__} in {phase}: {exc}"
        if status == OOM and job.get("memory_limit_bytes"):
            error += f" [memory limit: {job['memory_limit_bytes'] / 2**20:.0f} MiB per measurement]"
        result.update(status=status, error=error, **_exception_fields(exc, phase),
                      task_frame=innermost_task_frame(exc, {job["impl_path"], job["spec_path"]}))
    if probe is not None:
        result.update(steps_completed=probe.steps(), probe_problems=probe.problems)
    if rss_peaks:
        result["peak_rss_bytes"] = max(rss_peaks)
        result["rss_method"] = "vmhwm-reset" if can_reset else "vmhwm"
    return result


def _exception_fields(exc: BaseException, phase: str) -> dict[str, Any]:
    """What the user would see, kept whole: the exception's type and message, the traceback, the phase."""
    return {"traceback": traceback.format_exc(), "phase": phase, "exception_type": type(exc).__name__,
            "message": str(exc)}


def _wait_child(pid: int, timeout: float) -> tuple[int | None, Any, bool]:
    """Wait for `pid` up to `timeout` s; kill its group past that. Returns (wait status, rusage, timed out)."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        done, status, rusage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, rusage, False
        if time.monotonic() >= deadline:
            for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    kill()
                except ProcessLookupError:
                    pass
            _, status, rusage = os.wait4(pid, 0)
            return status, rusage, True
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def _child_main(job: dict[str, Any], adapter: ModuleType, threads: int, child_path: Path, parent: int, forked_at: float,
                scratch: str) -> None:
    """Body of the forked child; never returns."""
    code = 0
    try:
        os.setpgid(0, 0)
        die_with_parent(parent)
        if job.get("cpus") and hasattr(os, "sched_setaffinity"):  # before any framework thread starts
            os.sched_setaffinity(0, job["cpus"])
        # Task temp files and compiler caches go to a scratch folder the worker deletes afterwards,
        # unless the job names a cache folder: nothing is left in /tmp, and torch.compile's first
        # call is measured cold (a user's first run), never warmed by another measurement's caches.
        # The timing processes of one measurement share a folder (cache_dir): the first one compiles
        # cold, the later ones find its caches, as a user's second run would. Temp files go there too:
        # inductor keeps its precompiled C++ header (150 MB, about 5 s to build here) under the temp
        # folder, not under TORCHINDUCTOR_CACHE_DIR. A debugging job is no timing: it may share a
        # compiler cache with the others (debug.compiler_cache_dir).
        shared = (job.get("debug") or {}).get("compiler_cache_dir") or job.get("cache_dir")
        caches = shared or scratch
        temp = os.path.join(caches, "tmp") if shared else scratch
        os.makedirs(temp, exist_ok=True)
        os.environ["TMPDIR"] = tempfile.tempdir = temp
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(caches, "torchinductor")
        os.environ["TRITON_CACHE_DIR"] = os.path.join(caches, "triton")
        fork_rss = memory.status_bytes("VmRSS")
        if job.get("memory_limit_bytes"):
            memory.apply_data_limit(int(job["memory_limit_bytes"]))
        # Timing stops well before the timeout would kill the child and lose the measurement.
        budget_end = forked_at + 0.8 * job["timeout"]
        result = execute_job(job, adapter, threads, deadline=budget_end)
        result["fork_rss_bytes"] = fork_rss
        write_json_atomic(child_path, result)
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
        code = 70
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_job_in_child(job: dict[str, Any], adapter: ModuleType, threads: int) -> dict[str, Any]:
    """Fork, run the job in the child, and turn however the child ended into a result."""
    result_path = Path(job["result_path"])
    child_path = result_path.with_name(result_path.name + ".child")  # the parent publishes result_path
    child_path.unlink(missing_ok=True)
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    forked_at = time.perf_counter()
    scratch = tempfile.mkdtemp(prefix="easeval-job-")
    pid = os.fork()
    if pid == 0:
        _child_main(job, adapter, threads, child_path, parent, forked_at, scratch)
    try:
        os.setpgid(pid, pid)  # also done in the child: whichever runs first wins the race
    except OSError:
        pass
    status, rusage, timed_out = _wait_child(pid, job["timeout"])
    wall = time.perf_counter() - forked_at
    shutil.rmtree(scratch, ignore_errors=True)
    whole_child_peak = rusage.ru_maxrss * 1024 if sys.platform != "darwin" else rusage.ru_maxrss
    if timed_out:
        result = {"job_id": job["job_id"], "status": TIMEOUT,
                  "error": f"no result after {job['timeout']:g} s (--timeout); killed"}
    elif child_path.exists():
        result = read_json(child_path)
        child_path.unlink()
    elif os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name
        if sig == signal.SIGKILL:  # nothing in easeval sends it before the timeout: the kernel's OOM killer
            result = {"job_id": job["job_id"], "status": OOM,
                      "error": f"killed by signal {sig} ({name}), most likely by the kernel's out-of-memory killer"}
        else:
            result = {"job_id": job["job_id"], "status": CRASHED, "error": f"killed by signal {sig} ({name})"}
    else:
        code = os.WEXITSTATUS(status)
        result = {"job_id": job["job_id"], "status": CRASHED, "error": f"exited with code {code} before reporting a result"}
    if result.get("peak_rss_bytes") is None:
        result.update(peak_rss_bytes=whole_child_peak, rss_method="wait4")
    result.update(wall_seconds=wall, started_at=started_at, whole_child_peak_rss_bytes=whole_child_peak,
                  pid=pid, worker_pid=parent)
    write_json_atomic(result_path, result)
    return result


def main(argv: list[str]) -> int:
    spec = read_json(argv[0])
    if spec.get("parent_pid"):
        die_with_parent(int(spec["parent_pid"]))
    from evaluator.frameworks import get_adapter

    adapter = get_adapter(spec["framework"])
    if hasattr(adapter, "prepare_environment"):  # settings read once, at import or runtime start (JAX's threads)
        adapter.prepare_environment(spec["threads"])
    info: dict[str, Any] = {"framework": spec["framework"], "pid": os.getpid()}
    start = time.perf_counter()
    try:
        adapter.import_framework()
        for name in spec.get("preload") or ():  # modules its jobs would each import lazily (debugging runs)
            importlib.import_module(name)
        info.update(import_seconds=time.perf_counter() - start, version=adapter.version(), error=None)
        start = time.perf_counter()
        for name in getattr(adapter, "PRELOAD_MODULES", ()):  # lazy imports every child would repeat
            importlib.import_module(name)
        info["preload_seconds"] = time.perf_counter() - start
    except BaseException as exc:  # noqa: BLE001
        info.update(error=f"importing {adapter.IMPORT_NAME} failed: {type(exc).__name__}: {exc}", traceback=traceback.format_exc())
    write_json_atomic(spec["info_path"], info)
    if info["error"]:
        for job in spec["jobs"]:
            write_json_atomic(job["result_path"], {"job_id": job["job_id"], "status": ERROR, "error": info["error"],
                                                   "traceback": info.get("traceback")})
        return 1
    for job in spec["jobs"]:
        run_job_in_child(job, adapter, spec["threads"])
    return 0


if __name__ == "__main__":
    exit_code = main(sys.argv[1:])
    # Every result is already on disk (fsync'd). Skipping interpreter teardown saves seconds: TensorFlow's
    # takes about 1.7 s, time the parent would otherwise wait before starting the next framework.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)
