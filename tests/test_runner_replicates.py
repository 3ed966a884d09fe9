"""Independent timing processes: how their timings merge into one record, how the budget is split,
and when a record with some processes missing is measured again. No framework needed (see
test_runner_frameworks.py for a real run with three processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.corpus.discovery import Implementation, Task
from evaluator.corpus.task_metadata import TaskMetadata, Tolerance
from evaluator.results import Measurement, ProcessTiming, Timing
from evaluator.runner.execute import _add_process, _round
from evaluator.runner.recorder import Recorder
from evaluator.runner.scheduler import Job, JobOutcome, split_among_workers
from evaluator.runner.timing import TimingOptions


def process(median, samples, first=None, setup=None, number=10, reason="dispersion", worker=1):
    return ProcessTiming(median_s=median, iqr_s=0.0, samples_s=tuple(samples), number_per_sample=number,
                         warmup={"calls": 2, "seconds": 0.05}, first_call_s=first, setup_s=setup, total_run_s=0.5,
                         stop_reason=reason, pid=100 + worker, worker_pid=worker)


def test_processes_merge_into_the_median_of_their_medians_with_pooled_samples():
    # Medians 1, 3, 2 (by hand): their median is 2; pooled samples 1,1,3,3,2,2 -> q1 1.25, q3 2.75 (linear).
    timing = Timing.from_processes([process(1.0, [1.0, 1.0], first=9.0, setup=0.3),
                                    process(3.0, [3.0, 3.0], first=1.0, setup=0.1, worker=2),
                                    process(2.0, [2.0, 2.0], first=2.0, setup=0.2, worker=3)],
                                   method="m", options={"processes": 3})
    assert timing.median_s == 2.0
    assert timing.process_medians_s == (1.0, 3.0, 2.0)
    assert timing.process_spread == pytest.approx((3.0 - 1.0) / 2.0)
    assert timing.samples_s == (1.0, 1.0, 3.0, 3.0, 2.0, 2.0)
    assert (timing.q1_s, timing.q3_s, timing.iqr_s) == pytest.approx((1.25, 2.75, 1.5))
    assert timing.first_call_s == 9.0          # the first process's: the only cold one
    assert timing.setup_s == 0.2               # median of 0.3, 0.1, 0.2
    assert timing.total_run_s == pytest.approx(1.5)
    assert timing.warmup == {"calls": 6, "seconds": pytest.approx(0.15)}
    assert timing.number_per_sample == 10 and timing.stop_reason == "dispersion"
    assert Timing.from_json(timing.to_json()) == timing


def test_an_even_number_of_processes_takes_the_mean_of_the_middle_two_and_mixed_blocks_have_no_single_number():
    timing = Timing.from_processes([process(1.0, [1.0], number=5, reason="max_time"), process(4.0, [4.0], number=7)])
    assert timing.median_s == 2.5
    assert timing.number_per_sample is None and timing.stop_reason == "max_time,dispersion"


def test_a_process_without_samples_counts_for_first_call_but_not_for_the_median():
    timing = Timing.from_processes([process(None, [], first=4.0), process(2.0, [2.0, 2.0], first=1.0)])
    assert timing.median_s == 2.0 and timing.process_medians_s == (2.0,) and timing.process_spread is None
    assert timing.first_call_s == 4.0


def test_no_processes_give_an_empty_timing():
    timing = Timing.from_processes([], options={"processes": 3})
    assert timing.median_s is None and timing.samples_s == () and timing.process_medians_s == ()


def record(**changes) -> Measurement:
    base = dict(task="t", framework="torch", variant=None, impl_key="torch", status="ok", code_hash="c", env_key="e")
    return Measurement(**{**base, **changes})


def test_an_ok_record_is_reusable_only_once_every_process_has_timed_it():
    options = {"processes": 3}
    two = Timing.from_processes([process(1.0, [1.0]), process(1.1, [1.1])], options=options)
    three = Timing.from_processes([process(1.0, [1.0]), process(1.1, [1.1]), process(0.9, [0.9])], options=options)
    assert not record(timing=two).cacheable
    assert record(timing=three).cacheable
    assert not record(timing=Timing(options=options)).cacheable           # checked, not yet timed
    assert record(status="incorrect", timing=Timing(options=options)).cacheable  # nothing to time
    assert record(timing=Timing(median_s=1.0, samples_s=(1.0,))).cacheable   # schema 1: no options, one process


def test_the_time_budget_is_split_between_the_processes():
    options = TimingOptions(min_time_s=0.6, max_time_s=3.0, processes=3, warmup_s=0.05)
    one = options.per_process()
    assert (one.min_time_s, one.max_time_s, one.processes) == pytest.approx((0.2, 1.0, 1))
    assert one.warmup_s == 0.05 and one.block_s == options.block_s
    with pytest.raises(ValueError, match="processes must be at least 1"):
        TimingOptions(processes=0)


def fake_task(task_id: str, frameworks=("torch", "tensorflow", "jax")) -> Task:
    meta = TaskMetadata("T", "tensors", "d", ("pythonic",), Tolerance(), {"small": {}, "medium": {}}, {})
    impls = tuple(Implementation(task_id, fw, None, Path(f"tasks/{task_id}/{fw}_impl.py")) for fw in frameworks)
    return Task(task_id, Path(f"tasks/{task_id}"), meta, impls)


def outcome(job: Job, **result) -> JobOutcome:
    return JobOutcome(job, {"job_id": job.job_id, "status": "ok", **result})


def test_a_records_wall_seconds_count_the_checking_process_once():
    # The first process both checks (_fill_record) and times (_add_process): its wall seconds are one
    # process's, not two.
    from evaluator.runner.execute import _fill_record

    task = fake_task("t")
    job = Job(task, task.implementations[0])
    result = outcome(job, timing={"median_s": 1.0, "samples_s": [1.0]}, wall_seconds=1.5)
    checked = _fill_record(record(), result, TimingOptions())
    assert _add_process(checked, result, 0, 3).wall_s == 1.5


def test_a_failed_timing_process_makes_the_record_fail_and_says_which(tmp_path):
    task = fake_task("t")
    job = Job(task, task.implementations[0])
    start = record(timing=Timing(options={"processes": 3}))
    first = _add_process(start, outcome(job, timing={"median_s": 1.0, "samples_s": [1.0], "first_call_s": 2.0},
                                        peak_rss_bytes=10, baseline_rss_bytes=4, rss_method="vmhwm-reset",
                                        wall_seconds=1.5, pid=11, worker_pid=10), 0, 3)
    assert first.ok and first.timing.process_medians_s == (1.0,) and first.peak_rss_bytes == 10 and first.wall_s == 1.5
    assert first.timing.replicates[0].worker_pid == 10
    second = _add_process(first, outcome(job, status="crashed", error="killed by signal 6 (SIGABRT)", timing={},
                                         peak_rss_bytes=99, wall_seconds=0.5), 1, 3)
    assert second.status == "crashed" and second.error == "in timing process 2 of 3: killed by signal 6 (SIGABRT)"
    assert second.wall_s == 2.0                 # the processes' wall seconds, summed
    assert second.peak_rss_bytes == 10          # memory stays the first process's
    assert second.timing.process_medians_s == (1.0,) and not second.cacheable


def test_rounds_rotate_the_frameworks_and_leave_out_failed_records(tmp_path):
    from evaluator.base.environment import Environment

    tasks = [fake_task("a"), fake_task("b")]
    recorder = Recorder(tmp_path, Environment.from_json({"machine": "m"}), {}, __import__("datetime").datetime.now())
    to_time = []
    for task in tasks:
        for impl in task.implementations:
            slot = recorder.add(record(task=task.task_id, impl_key=impl.key, framework=impl.framework), new=False)
            to_time.append((Job(task, impl), slot))
    recorder.records[to_time[1][1]] = recorder.records[to_time[1][1]].evolve(status="error")  # a's tensorflow
    order = ["torch", "tensorflow", "jax"]
    measure = TimingOptions().per_process().as_dict()
    rounds = [[(job.task.task_id, job.implementation.framework) for job, _ in
               _round(to_time, order, r, measure, recorder, tmp_path / "caches")] for r in range(3)]
    assert rounds[0] == [("a", "torch"), ("b", "torch"), ("b", "tensorflow"), ("a", "jax"), ("b", "jax")]
    assert [fw for _, fw in rounds[1]][:2] == ["tensorflow", "jax"] and rounds[1][-1][1] == "torch"
    assert [fw for _, fw in rounds[2]][:2] == ["jax", "jax"]
    jobs = _round(to_time, order, 2, measure, recorder, tmp_path / "caches")
    assert all(not job.check and job.replicate == 2 and job.measure == measure for job, _ in jobs)
    assert {job.job_id.rsplit(".", 1)[1] for job, _ in jobs} == {"time2"}
    # one compiler-cache folder per measurement, the same in every round
    first_round = {job.cache_dir for job, _ in _round(to_time, order, 0, measure, recorder, tmp_path / "caches")}
    assert first_round == {job.cache_dir for job, _ in jobs} and len(first_round) == 5


def test_checks_are_split_between_workers_round_robin_and_timings_are_not():
    tasks = [fake_task(f"t{i}", ("torch",)) for i in range(9)] + [fake_task("u", ("jax",))]
    by_framework = {"torch": [Job(t, t.implementations[0]) for t in tasks[:9]], "jax": [Job(tasks[9], tasks[9].implementations[0])]}
    units = split_among_workers(by_framework, workers=2)
    assert [(fw, [j.task.task_id for j in jobs]) for fw, jobs in units] == [
        ("torch", ["t0", "t2", "t4", "t6", "t8"]), ("torch", ["t1", "t3", "t5", "t7"]), ("jax", ["u"])]
    assert [len(jobs) for _, jobs in split_among_workers(by_framework, workers=1)] == [9, 1]
    small = {"torch": by_framework["torch"][:7]}
    assert len(split_among_workers(small, workers=2)) == 1  # under 4 jobs per worker: one import is cheaper


def test_a_timing_process_runs_on_as_many_cpus_as_threads_the_last_ones():
    from evaluator.runner.timing import timing_cpus

    assert timing_cpus(1, {0, 1}) == [1]
    assert timing_cpus(2, {0, 1, 2, 3}) == [2, 3]
    assert timing_cpus(8, {0, 1}) == [0, 1]
    assert timing_cpus(0, {3, 5}) == [5]


def test_rounds_pin_timing_jobs_unless_asked_not_to(tmp_path):
    from evaluator.base.environment import Environment
    from evaluator.runner.timing import timing_cpus

    task = fake_task("a", ("torch",))
    recorder = Recorder(tmp_path, Environment.from_json({"machine": "m"}), {}, __import__("datetime").datetime.now())
    slot = recorder.add(record(task="a"), new=False)
    to_time = [(Job(task, task.implementations[0]), slot)]
    pinned = _round(to_time, ["torch"], 0, TimingOptions().per_process().as_dict(), recorder, tmp_path, threads=1)
    assert pinned[0][0].cpus == tuple(timing_cpus(1))
    free = _round(to_time, ["torch"], 0, TimingOptions(pin=False).per_process().as_dict(), recorder, tmp_path, threads=1)
    assert free[0][0].cpus == ()


def test_a_measurement_is_settled_by_two_agreeing_processes_or_by_all_of_them():
    options = {"processes": 3, "min_processes": 2, "agree_within": 0.05}
    # By hand: medians 1.00 and 1.04 spread 0.04 / 1.02 = 3.9% <= 5%; 1.00 and 1.10 spread 9.5% > 5%.
    agree = Timing.from_processes([process(1.0, [1.0]), process(1.04, [1.04], worker=2)], options=options)
    differ = Timing.from_processes([process(1.0, [1.0]), process(1.10, [1.10], worker=2)], options=options)
    one = Timing.from_processes([process(1.0, [1.0])], options=options)
    three = Timing.from_processes([process(1.0, [1.0]), process(1.10, [1.10], worker=2), process(1.3, [1.3], worker=3)],
                                  options=options)
    assert agree.settled and not differ.settled and not one.settled and three.settled
    # Options without the rule (result files before it) need every process.
    assert not Timing.from_processes([process(1.0, [1.0]), process(1.0, [1.0], worker=2)],
                                     options={"processes": 3}).settled


def test_the_first_round_checks_every_pending_job_and_later_rounds_only_the_unsettled_ones(tmp_path):
    from evaluator.base.environment import Environment

    task = fake_task("t", ("torch", "tensorflow"))
    recorder = Recorder(tmp_path, Environment.from_json({"machine": "m"}), {}, __import__("datetime").datetime.now())
    options = {"processes": 3, "min_processes": 2, "agree_within": 0.05}
    medians = {"torch": (1.0, 1.01), "tensorflow": (1.0, 1.5)}  # spread 1% (settled) and 40% (not)
    jobs = []
    for impl in task.implementations:
        timing = Timing.from_processes([process(m, [m], worker=w) for w, m in enumerate(medians[impl.framework])],
                                       options=options)
        jobs.append((Job(task, impl), recorder.add(record(task="t", impl_key=impl.key, framework=impl.framework,
                                                          timing=timing), new=False)))
    measure = {"pin": False}
    first = _round(jobs, ["torch", "tensorflow"], 0, measure, None, tmp_path / "caches")
    assert [(job.implementation.key, job.check, job.replicate) for job, _ in first] == [("torch", True, 0),
                                                                                       ("tensorflow", True, 0)]
    third = _round(jobs, ["torch", "tensorflow"], 2, measure, recorder, tmp_path / "caches")
    assert [(job.implementation.key, job.check, job.replicate) for job, _ in third] == [("tensorflow", False, 2)]
    assert third[0][0].cache_dir == first[1][0].cache_dir  # one compiler cache per measurement


def test_compiled_files_are_timed_in_workers_that_preload_the_compiler_and_eager_files_are_not(tmp_path):
    # torch.compile imports inductor's compiler when its file is imported (outside every timed phase):
    # the compiled variant's worker imports it once before forking; an eager file's processes never hold it.
    from evaluator.base.environment import Environment

    task = fake_task("a", ("torch",))
    compiled = Implementation("a", "torch", "compiled", Path("tasks/a/torch_compiled_impl.py"))
    task = Task("a", task.path, task.metadata, (*task.implementations, compiled))
    recorder = Recorder(tmp_path, Environment.from_json({"machine": "m"}), {}, __import__("datetime").datetime.now())
    to_time = [(Job(task, impl), recorder.add(record(task="a", impl_key=impl.key), new=False)) for impl in task.implementations]
    jobs = [job for job, _ in _round(to_time, ["torch"], 1, TimingOptions().per_process().as_dict(), recorder, tmp_path)]
    preloads = {job.implementation.key: job.preload for job in jobs}
    assert preloads == {"torch": (), "torch_compiled": ("torch._inductor.compile_fx",)}
    assert jobs[0].worker_key != jobs[1].worker_key   # two workers: one with the compiler, one without


@pytest.mark.parametrize("acknowledge", [True, False])
def test_a_timing_worker_waits_until_the_parent_has_taken_the_last_result_in(tmp_path, acknowledge):
    # The parent's bookkeeping after a result (rewriting a 2 MB result file) used to overlap the next
    # measurement's timed blocks: with `acknowledge` the worker forks the next job only afterwards.
    import time

    from conftest import TASKS
    from evaluator.corpus.discovery import discover
    from evaluator.runner.scheduler import run_jobs

    task = discover(TASKS).select(["scalar_gradient"]).tasks[0]
    impl = task.implementation("torch")
    jobs = [Job(task, impl, "cpu", size) for size in ("small", "medium")]
    seen = {}

    def second_done() -> bool:
        return any((f / f"{jobs[1].job_id}.json").exists() for f in (tmp_path / "work").glob("torch-*"))

    def on_outcome(outcome):
        if outcome.job is jobs[0]:   # the parent busy with the first result: does the second job run meanwhile?
            deadline = time.monotonic() + (3.0 if acknowledge else 120.0)
            while not second_done() and time.monotonic() < deadline:
                time.sleep(0.05)
            seen["second done meanwhile"] = second_done()

    outcomes = run_jobs(jobs, tmp_path / "work", timeout=120, workers=1, acknowledge=acknowledge, on_outcome=on_outcome)
    assert [o.status for o in outcomes] == ["ok", "ok"]
    assert seen["second done meanwhile"] is (not acknowledge)
