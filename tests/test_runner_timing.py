"""Steady-state timing (evaluator/runner/timing.py) on plain Python callables: no framework needed.

The stopping rules are tested on a virtual clock that only the measured callable advances, so they
are exact on a loaded machine; one test uses the real clock to check calibration end to end.
"""

from __future__ import annotations

import gc
import itertools
import time

import pytest

from evaluator.runner.timing import METHOD, TimingOptions, measure_steady_state, quantile, summarize


class RecordingDevice:
    """Stands in for an adapter's `synchronize` only, and counts the calls."""

    def __init__(self) -> None:
        self.syncs = 0

    def synchronize(self, device: str) -> None:
        self.syncs += 1


class VirtualClock:
    """A clock that advances only when a scripted call 'takes' time."""

    def __init__(self, durations) -> None:
        self.now = 0.0
        self.durations = iter(durations)
        self.calls = 0

    def __call__(self) -> float:
        return self.now

    def run(self, state) -> None:
        self.now += next(self.durations)
        self.calls += 1


def measure(clock: VirtualClock, **options):
    return measure_steady_state(clock.run, None, RecordingDevice(), "cpu", clock=clock, **options)


def test_quartiles_match_numpy_linear_interpolation_computed_by_hand():
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.25) == pytest.approx(1.75)
    stats = summarize([4.0, 1.0, 3.0, 2.0])
    assert stats == pytest.approx({"median_s": 2.5, "q1_s": 1.75, "q3_s": 3.25, "iqr_s": 1.5})
    assert summarize([7.0]) == {"median_s": 7.0, "q1_s": 7.0, "q3_s": 7.0, "iqr_s": 0.0}


def test_block_size_comes_from_the_fastest_warmup_call():
    # Warm-up calls take 5 ms, 3 ms, 2 ms; then every call 2 ms. block_s = 20 ms -> 10 calls a block.
    clock = VirtualClock(itertools.chain([0.005, 0.003, 0.002], itertools.repeat(0.002)))
    result = measure(clock, warmup_calls=3, warmup_s=0.0, block_s=0.02, min_time_s=0.1, max_time_s=1.0)
    assert result["warmup"] == {"calls": 3, "seconds": pytest.approx(0.010)}
    assert result["number_per_sample"] == 10
    assert result["samples_s"] == pytest.approx([0.002] * 5)  # per call; stops at 5 blocks = 0.1 s
    assert result["stop_reason"] == "dispersion"
    assert result["median_s"] == pytest.approx(0.002) and result["iqr_s"] == pytest.approx(0.0)
    assert clock.calls == 3 + 5 * 10
    assert result["total_run_s"] == pytest.approx(0.010 + 0.1)
    assert result["method"] == METHOD and result["options"]["block_s"] == 0.02


def test_warmup_runs_for_warmup_seconds_as_well_as_calls():
    clock = VirtualClock(itertools.repeat(0.01))
    result = measure(clock, warmup_calls=1, warmup_s=0.05, block_s=0.01, min_time_s=0.04, max_time_s=1.0)
    assert result["warmup"]["calls"] == 5


def test_needs_more_than_three_blocks_and_min_time_before_stopping():
    clock = VirtualClock(itertools.repeat(0.1))
    result = measure(clock, warmup_calls=1, warmup_s=0.0, block_s=0.1, min_time_s=0.25, max_time_s=10.0)
    assert len(result["samples_s"]) == 4  # min_time reached after 3 blocks, but Timer wants > 3
    clock = VirtualClock(itertools.repeat(0.1))
    result = measure(clock, warmup_calls=1, warmup_s=0.0, block_s=0.1, min_time_s=0.65, max_time_s=10.0)
    assert len(result["samples_s"]) == 7


def test_keeps_going_while_dispersion_is_high_then_stops_at_max_time():
    clock = VirtualClock(itertools.chain([0.001], itertools.cycle([0.001, 0.004])))
    result = measure(clock, warmup_calls=1, warmup_s=0.0, block_s=0.001, min_time_s=0.01, max_time_s=0.1,
                     dispersion=0.1)
    assert result["stop_reason"] == "max_time"
    assert 0.1 < sum(result["samples_s"]) <= 0.1 + 0.004
    assert result["iqr_s"] == pytest.approx(0.003)


def test_a_block_that_would_pass_the_deadline_is_not_started():
    clock = VirtualClock(itertools.repeat(0.1))
    result = measure(clock, deadline=0.45, warmup_calls=1, warmup_s=0.0, block_s=0.1, min_time_s=100.0,
                     max_time_s=100.0)
    assert result["stop_reason"] == "deadline"
    assert clock.now <= 0.45
    assert len(result["samples_s"]) == 3  # 0.1 warm-up + 3 blocks = 0.4; a fourth would end at 0.5


def test_device_is_synchronised_at_both_edges_of_every_block():
    clock = VirtualClock(itertools.repeat(0.01))
    device = RecordingDevice()
    result = measure_steady_state(clock.run, None, device, "cuda", clock=clock, warmup_calls=2, warmup_s=0.0,
                                  block_s=0.01, min_time_s=0.05, max_time_s=1.0)
    assert device.syncs == 2 * (result["warmup"]["calls"] + len(result["samples_s"]))


def test_real_clock_calibration_on_a_busy_wait():
    def spin(state):
        end = time.perf_counter() + 0.001
        while time.perf_counter() < end:
            pass

    device = RecordingDevice()
    result = measure_steady_state(spin, None, device, "cpu", warmup_calls=3, warmup_s=0.0,
                                  block_s=0.01, min_time_s=0.05, max_time_s=1.0, dispersion=0.5)
    # Structure only: how fast the spin runs depends on the machine's load (speed targets live in
    # benchmarks/bench_harness.py). A call never takes less than 1 ms, so at most 10 fit a 10 ms block.
    number, samples = result["number_per_sample"], result["samples_s"]
    assert 1 <= number <= 10
    assert len(samples) > 3 or result["stop_reason"] == "max_time"
    assert all(s >= 0.001 for s in samples)  # seconds per call, never per block
    assert result["median_s"] == summarize(samples)["median_s"]
    assert result["q1_s"] <= result["median_s"] <= result["q3_s"]
    assert result["warmup"]["calls"] == 3
    blocks_s = sum(samples) * number
    assert blocks_s >= 0.05 or result["stop_reason"] == "max_time"
    assert result["total_run_s"] == pytest.approx(result["warmup"]["seconds"] + blocks_s)
    assert device.syncs == 2 * (3 + len(samples))


def test_garbage_collection_stays_on_unless_disabled():
    seen = []

    def record(state):
        seen.append(gc.isenabled())

    options = dict(warmup_calls=1, warmup_s=0.0, block_s=0.0, min_time_s=0.0, max_time_s=0.0)
    measure_steady_state(record, None, RecordingDevice(), "cpu", **options)
    assert seen and all(seen)
    seen.clear()
    measure_steady_state(record, None, RecordingDevice(), "cpu", keep_gc=False, **options)
    assert seen and not any(seen)
    assert gc.isenabled()  # restored afterwards


def test_unknown_option_is_an_error():
    with pytest.raises(TypeError):
        measure_steady_state(lambda state: None, None, RecordingDevice(), "cpu", min_time=1.0)
    assert TimingOptions().as_dict()["dispersion"] == 0.1


def test_load_meter_counts_the_cpu_time_of_other_processes(tmp_path, monkeypatch):
    """Machine CPU time from /proc/stat minus this process's own, per second of wall time."""
    import os

    from evaluator.runner import timing

    stat = tmp_path / "stat"
    clocks = {"own": 10.0, "wall": 100.0}
    monkeypatch.setattr(timing, "_PROC_STAT", str(stat))
    monkeypatch.setattr(timing.time, "process_time", lambda: clocks["own"])
    monkeypatch.setattr(timing.time, "monotonic", lambda: clocks["wall"])
    ticks = os.sysconf("SC_CLK_TCK")

    def write(user, system, idle, steal):  # user nice system idle iowait irq softirq steal
        stat.write_text(f"cpu  {user} 0 {system} {idle} 7 0 0 {steal} 0 0\ncpu0 ...\n")

    write(1000, 500, 9000, 0)
    meter = timing.LoadMeter()
    # one second later: the machine used 1.5 s of CPU (user 1.2 s, system 0.2 s, steal 0.1 s); this process 0.5 s
    write(1000 + int(1.2 * ticks), 500 + int(0.2 * ticks), 9000 + int(0.5 * ticks), int(0.1 * ticks))
    clocks.update(own=10.5, wall=101.0)
    assert meter.others_cores() == pytest.approx(1.0)
    clocks.update(own=12.0)  # more of its own CPU than the machine counted (coarse ticks): never negative
    assert meter.others_cores() == 0.0
    monkeypatch.setattr(timing, "_PROC_STAT", str(tmp_path / "missing"))
    assert timing.LoadMeter().others_cores() is None


def test_a_timing_reports_the_load_of_other_processes():
    clock = VirtualClock(itertools.repeat(0.01))
    result = measure(clock, warmup_calls=1, warmup_s=0.0, block_s=0.01, min_time_s=0.04, max_time_s=1.0)
    assert result["others_cores"] is None or result["others_cores"] >= 0.0
