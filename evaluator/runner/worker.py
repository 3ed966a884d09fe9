"""The worker: one process per framework (and backend, for Keras). Imports the framework once, then forks
a child per job.

Run as `python -m evaluator.runner.worker JOB_FILE`. It imports only the standard library, NumPy, its
one framework and the small easeval modules that import nothing heavier. The fork gives each job
crash isolation (an abort or a segfault ends only that child), a clean allocator and peak-memory
state, and a peak RSS of its own, without paying the framework import again. Frameworks must not have
started their thread pools (or CUDA) before the fork: the worker imports the framework but runs no op.

Each child runs in its own process group (a timeout kills whatever it started too) and dies with
its worker; the worker dies with the parent (Linux `PR_SET_PDEATHSIG`), so nothing outlives a run.
"""

from __future__ import annotations

import contextlib
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
from evaluator.base.fileio import read_json, write_json_atomic
from evaluator.base.run_status import CRASHED, ERROR, INCORRECT, OK, OOM, SKIPPED, TIMEOUT

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
    run = _JobRun(job, adapter)
    try:
        run.step("configure", run.configure, threads)
        run.step("load", run.load)
        run.step("first call", run.first_call)
        passed, message = run.step("check", run.check)
        if passed and job.get("measure"):
            run.step("timing", run.time_steady_state, deadline)
        run.result["peak_device_bytes"] = adapter.peak_memory(run.device)
        run.result.update(status=OK if passed else INCORRECT, error=message or None)
    except NotImplementedError as exc:
        run.skipped(exc)
    except BaseException as exc:  # noqa: BLE001 - task code may raise anything; the run must go on
        run.failed(exc)
    return run.finish()


class _JobRun:
    """One job's steps and what they leave behind; `phase` names the step an exception comes from."""

    def __init__(self, job: dict[str, Any], adapter: ModuleType) -> None:
        self.job, self.adapter, self.device = job, adapter, job["device"]
        self.timing: dict[str, Any] = {}
        self.result: dict[str, Any] = {"job_id": job["job_id"], "status": ERROR, "error": None, "timing": self.timing}
        self.rss_peaks: list[int] = []
        self.can_reset = False
        self.phase = "starting"
        self.probe = None
        self.checking = job.get("check", True)
        self.spec = self.inputs = self.reference = self.impl = self.state = self.output = None
        self.steps_s: dict[str, float] = {}  # wall seconds per step: where a process's time went
        self.result["steps_s"] = self.steps_s

    def step(self, name: str, function, *args):
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.steps_s[name] = time.perf_counter() - start

    def configure(self, threads: int) -> None:
        self.phase = "configuring the framework"
        self.adapter.configure(threads, self.job["seed"], self.device)
        if self.job.get("debug") is not None:  # `easeval debug`: aids on request, a training-step counter
            from evaluator.runner.fault_probe import install

            self.probe = install(self.adapter.NAME, self.job["debug"])
        if self.device == "cuda" and hasattr(self.adapter, "gpu_name"):
            self.result["device_name"] = self.adapter.gpu_name()

    def load(self) -> None:
        """The spec, its inputs and reference (harness work, before the memory baseline), the implementation."""
        import numpy as np

        job = self.job
        self.phase = "loading the spec"
        self.spec = load_module(job["spec_path"], "easeval_task_spec")
        self.phase = "making inputs (spec.make_inputs)"
        self.inputs = self.spec.make_inputs(np.random.default_rng(job["seed"]), **job["size"])
        if self.checking and hasattr(self.spec, "reference"):
            self.phase = "computing the reference (spec.reference)"
            self.reference = self.spec.reference(self.inputs)
        self.phase = "importing the implementation"
        self.impl = load_module(job["impl_path"], "easeval_task_impl")
        self.phase = "looking up setup and run"  # checked statically too; this catches names bound only at run time
        for name, signature in (("setup", "setup(inputs, device)"), ("run", "run(state)")):
            if not callable(getattr(self.impl, name, None)):
                raise AttributeError(f"{os.path.basename(job['impl_path'])} defines no function {signature}")

    def first_call(self) -> None:
        """setup and the first run, each timed, from a fresh memory baseline."""
        adapter, device = self.adapter, self.device
        self.can_reset = memory.reset_peak_rss()
        self.result["baseline_rss_bytes"] = memory.status_bytes("VmRSS")
        adapter.reset_peak_memory(device)
        # `easeval debug` records the warnings the user's code raised (Python warnings and the
        # frameworks' logged ones) while setup and run ran: what a developer sees besides exceptions
        capture = self.probe.capture() if self.probe is not None else contextlib.nullcontext([])
        with capture as warned:
            try:
                self.phase = "setup(inputs, device)"
                start = time.perf_counter()
                self.state = wait_for(adapter, self.impl.setup(self.inputs, device))
                adapter.synchronize(device)
                self.timing["setup_s"] = time.perf_counter() - start
                self.phase = "run(state)"
                start = time.perf_counter()
                self.output = wait_for(adapter, self.impl.run(self.state))
                adapter.synchronize(device)
                self.timing["first_call_s"] = time.perf_counter() - start
            finally:
                if self.probe is not None:
                    self.result["warnings"] = warned
        self._read_peak()

    def check(self) -> tuple[bool, str]:
        """(passed, message): the first output against the reference (or the spec's property check), a
        second call's for a task declared pure; a timing process judges nothing."""
        from evaluator.runner.reference_comparison import repeat_difference  # NumPy: imported after the framework

        passed, message = True, ""
        if self.checking:
            again = self._to_numpy()
            self.phase = "checking the output"
            passed, message = self._compare()
            if passed and again is not None:
                difference = repeat_difference(self.output, again)
                if difference:
                    passed, message = False, (
                        f"not pure: task.toml declares pure = true, but a second run(state) on the same state returned "
                        f"a different output: {difference}; reset what run() changes (a gradient that accumulates, a "
                        f"counter, an iterator) so that every call does the same work, or remove pure = true")
            self._keep_output()
            del again
        self.output = self.reference = None  # before timing: neither may count in its memory
        return passed, message

    def _to_numpy(self) -> Any:
        """The output as NumPy; returns a second call's output where the task declares run pure."""
        import numpy as np

        from evaluator.runner.reference_comparison import to_numpy_tree

        adapter = self.adapter
        self.phase = "converting the output to NumPy"
        if not self.job.get("check_purity"):
            self.output = to_numpy_tree(self.output, adapter.to_numpy)
            return None
        # Copies: to_numpy may share memory with a tensor the second call changes in place (a .grad).
        self.output = to_numpy_tree(self.output, lambda value: np.array(adapter.to_numpy(value)))
        self.phase = "calling run(state) a second time (task.toml: pure = true)"
        return to_numpy_tree(wait_for(adapter, self.impl.run(self.state)), lambda value: np.array(adapter.to_numpy(value)))

    def _compare(self) -> tuple[bool, str]:
        from evaluator.runner.reference_comparison import compare_outputs

        tol = self.job["tolerance"]
        if self.reference is not None:
            comparison = compare_outputs(self.output, self.reference, tol["rtol"], tol["atol"])
            self.result.update(max_abs_error=comparison.max_abs_error, max_rel_error=comparison.max_rel_error,
                               tolerance_ratio=comparison.tolerance_ratio)
            return comparison.passed, comparison.message
        failures = list(self.spec.check(self.output, self.inputs))  # property check where no exact reference exists
        return not failures, "; ".join(failures)

    def _keep_output(self) -> None:
        """The output saved for the cross-framework comparison; its failure is not the task's."""
        import numpy as np

        from evaluator.runner.reference_comparison import flatten_tree, normalize_tree

        if self.job.get("output_path"):
            try:
                np.savez(self.job["output_path"], **flatten_tree(normalize_tree(self.output)))
            except (OSError, ValueError, TypeError) as exc:
                self.result["output_error"] = f"output not kept: {type(exc).__name__}: {exc}"

    def time_steady_state(self, deadline: float | None) -> None:
        from evaluator.runner.timing import measure_steady_state

        self.phase = "timing run(state)"
        if self.can_reset:  # the comparison's float64 temporaries must not count as the peak
            memory.reset_peak_rss()
        self.timing.update(measure_steady_state(self.impl.run, self.state, self.adapter, self.device, deadline=deadline,
                                                **self.job["measure"]))
        if hasattr(os, "sched_getaffinity"):
            self.timing["cpus"] = sorted(os.sched_getaffinity(0))
        self._read_peak()

    def skipped(self, exc: NotImplementedError) -> None:
        """A skip is no failure. A debugging job keeps what the user would see (the traceback and the task's
        frame): `easeval debug` must tell a mutant that raises NotImplementedError from an implementation
        declining the device (which its clean run does too). A measurement keeps the phase and message only."""
        fields = _exception_fields(exc, self.phase)
        if self.job.get("debug") is None:
            fields = {k: v for k, v in fields.items() if k != "traceback"}
        else:
            fields["task_frame"] = innermost_task_frame(exc, {self.job["impl_path"], self.job["spec_path"]})
        self.result.update(status=SKIPPED, error=f"not supported: {exc}" if str(exc) else f"not supported in {self.phase}",
                           **fields)

    def failed(self, exc: BaseException) -> None:
        status = OOM if memory.is_out_of_memory(exc) else ERROR
        error = f"{type(exc).__name__} in {self.phase}: {exc}"
        if status == OOM and self.job.get("memory_limit_bytes"):
            error += f" [memory limit: {self.job['memory_limit_bytes'] / 2**20:.0f} MiB per measurement]"
        self.result.update(status=status, error=error, **_exception_fields(exc, self.phase),
                           task_frame=innermost_task_frame(exc, {self.job["impl_path"], self.job["spec_path"]}))

    def finish(self) -> dict[str, Any]:
        if self.probe is not None:
            self.result.update(steps_completed=self.probe.steps(), probe_problems=self.probe.problems)
        if self.rss_peaks:
            self.result["peak_rss_bytes"] = max(self.rss_peaks)
            self.result["rss_method"] = "vmhwm-reset" if self.can_reset else "vmhwm"
        return self.result

    def _read_peak(self) -> None:
        peak = memory.status_bytes("VmHWM")
        if peak is not None:
            self.rss_peaks.append(peak)


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
        if hasattr(adapter, "use_compiler_cache"):  # torch.compile's, XLA's (JAX, Keras on JAX)
            adapter.use_compiler_cache(caches)
        fork_rss = memory.status_bytes("VmRSS")
        if job.get("memory_limit_bytes"):
            memory.apply_data_limit(int(job["memory_limit_bytes"]))
        # Timing stops well before the timeout would kill the child and lose the measurement.
        budget_end = forked_at + 0.8 * job["timeout"]
        before = time.perf_counter() - forked_at
        result = execute_job(job, adapter, threads, deadline=budget_end)
        result["fork_rss_bytes"] = fork_rss
        result.setdefault("steps_s", {})["after fork"] = before
        result["finished_at"] = time.perf_counter()  # the parent adds how long writing and exiting took
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
        if result.get("finished_at") is not None:  # perf_counter is one clock across processes here
            result.setdefault("steps_s", {})["write and exit"] = forked_at + wall - result.pop("finished_at")
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
    if spec.get("backend"):  # Keras: the backend is read once, at import, so it is chosen first
        adapter.select_backend(spec["backend"], spec.get("device") or "cpu")
    if hasattr(adapter, "prepare_environment"):  # settings read once, at import or runtime start (JAX's threads)
        adapter.prepare_environment(spec["threads"])
    info: dict[str, Any] = {"framework": spec["framework"], "backend": spec.get("backend"), "pid": os.getpid()}
    start = time.perf_counter()
    try:
        adapter.import_framework()  # alone in import_seconds: the report's framework import time
        info.update(import_seconds=time.perf_counter() - start, version=adapter.version(), error=None)
        start = time.perf_counter()
        # lazy imports every child would repeat: the adapter's, then the job kind's (debugging runs,
        # compiled variants)
        for name in (*getattr(adapter, "PRELOAD_MODULES", ()), *(spec.get("preload") or ())):
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
        declined = clean_failed(job)
        if declined is not None:
            write_json_atomic(job["result_path"], declined)
            continue
        run_job_in_child(job, adapter, spec["threads"])
        if spec.get("acknowledge"):
            wait_for_ack(job["result_path"])
    return 0


ACK_SUFFIX = ".ack"
ACK_WAIT_S = 900.0


def wait_for_ack(result_path: str) -> None:
    """Wait until the parent has taken this result in (it writes `<result>.ack`) before the next job.

    Timings only: the parent's bookkeeping after a result (rewriting the run's result file, 2 MB on
    the whole corpus, about 0.13 s of CPU) ran during the next measurement's timed blocks, on the other
    core of a 2-core machine, and slowed short PyTorch calls by about 20% (2026-12-07, the main job:
    process 1 read 0.80 of process 2, whose blocks overlapped a rewrite). Nothing of the parent's now
    runs while a measurement is timed. The parent dies with its workers, so this never waits for
    nobody; a missing acknowledgement past ACK_WAIT_S lets the run go on."""
    ack = Path(result_path + ACK_SUFFIX)
    deadline = time.monotonic() + ACK_WAIT_S
    delay = 0.0005
    while not ack.exists() and time.monotonic() < deadline:
        time.sleep(delay)
        delay = min(delay * 2, 0.01)
    ack.unlink(missing_ok=True)


def clean_failed(job: dict[str, Any]) -> dict[str, Any] | None:
    """`easeval debug`: the result of a mutant job not run because its implementation's clean run (an
    earlier job of this worker, `debug.after_clean`) did not pass; None when the mutant should run.
    A hang is not waited for once per mutant: every mutant of a failed clean run is listed, with why."""
    clean_id = (job.get("debug") or {}).get("after_clean")
    if not clean_id:
        return None
    path = Path(job["result_path"]).with_name(f"{clean_id}.json")
    try:
        clean = read_json(path)
    except (OSError, ValueError):
        clean = {"status": CRASHED, "error": "no result of the clean run"}
    if clean.get("status") == OK:
        return None
    return {"job_id": job["job_id"], "status": SKIPPED, "clean_failed": True, "clean_status": clean.get("status"),
            "error": f"not run: the clean run of this implementation ended {clean.get('status')}: {clean.get('error')}",
            "wall_seconds": 0.0, "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


if __name__ == "__main__":
    exit_code = main(sys.argv[1:])
    # Every result is already on disk (fsync'd). Skipping interpreter teardown saves seconds: TensorFlow's
    # takes about 1.7 s, time the parent would otherwise wait before starting the next framework.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)
