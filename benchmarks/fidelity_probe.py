"""Why is a Keras MLP forward bimodal? Times one workload in many fresh processes under one candidate
cause at a time and prints, per process, the median per call and the minor page faults per call.

    python benchmarks/fidelity_probe.py [--processes 6] [--workload keras_mlp] [--interleave] [CANDIDATE ...]

Candidates (default: all): plain, fork, pools_before_fork, affinity0, affinity1, dynamo_preload,
dynamo_preload_gc_off, affinity1_gc_off, onednn_off, gc_off,
big_free_first, arena1, mmap_fixed, mmap_low, hashseed0, aslr_off, aslr_off_hashseed0. Each process: import the framework, 1 intra-op and 1
inter-op thread, build the workload, warm up 0.3 s, then 20 ms repeats for 1 s (timeit style, the
output's `.numpy()` every call). A cause is ruled in when switching it moves every process into one
mode, out when the processes stay bimodal (or stay unimodal) whatever it is set to.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CANDIDATES = {
    # name: (environment changes, in-process options)
    "plain": ({}, {}),
    "fork": ({}, {"fork": True}),
    "pools_before_fork": ({}, {"fork": True, "op_before_fork": True}),
    "affinity0": ({}, {"fork": True, "affinity": 0}),
    "affinity1": ({}, {"fork": True, "affinity": 1}),
    # what easeval's PyTorch timing worker imports before it forks (frameworks/torch.py PRELOAD_MODULES)
    "dynamo_preload": ({}, {"fork": True, "affinity": 1, "preload": ["torch._dynamo"]}),
    "dynamo_preload_gc_off": ({}, {"fork": True, "affinity": 1, "preload": ["torch._dynamo"], "gc_off": True}),
    "affinity1_gc_off": ({}, {"fork": True, "affinity": 1, "gc_off": True}),
    "onednn_off": ({"TF_ENABLE_ONEDNN_OPTS": "0"}, {}),
    "gc_off": ({}, {"gc_off": True}),
    "big_free_first": ({}, {"big_free_first": True}),   # what easeval's float64 reference does to malloc
    "arena1": ({"MALLOC_ARENA_MAX": "1"}, {}),
    "mmap_fixed": ({"MALLOC_MMAP_THRESHOLD_": str(64 * 2**20)}, {}),   # fixed threshold: no mmap per call
    "mmap_low": ({"MALLOC_MMAP_THRESHOLD_": str(128 * 1024)}, {}),      # fixed at glibc's start value
    "hashseed0": ({"PYTHONHASHSEED": "0"}, {}),                        # same dict layouts in every process
    "aslr_off": ({}, {"prefix": ["setarch", "x86_64", "-R"]}),          # same addresses in every process
    "aslr_off_hashseed0": ({"PYTHONHASHSEED": "0"}, {"prefix": ["setarch", "x86_64", "-R"]}),
}


def _minor_faults() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _workload(name: str):
    """(call, framework) for the named workload; call() runs it once and waits for the result."""
    import numpy as np

    rng = np.random.default_rng(0)
    if name.startswith("keras"):
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        batch, d_in, hidden, d_out = 64, 256, 512, 10
        model = tf.keras.Sequential([tf.keras.Input(shape=(d_in,)), tf.keras.layers.Dense(hidden, activation="relu"),
                                     tf.keras.layers.Dense(d_out)])
        x = tf.constant(rng.standard_normal((batch, d_in), dtype=np.float32))
        return (lambda: model(x, training=False).numpy()), "tensorflow"
    import torch

    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(256, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)).eval()
    x = torch.from_numpy(rng.standard_normal((64, 256), dtype=np.float32))

    def call():
        with torch.no_grad():
            return model(x)
    return call, "torch"


def _measure(workload: str, options: dict) -> dict:
    import gc

    if options.get("affinity") is not None:
        os.sched_setaffinity(0, {options["affinity"]})
    if options.get("big_free_first"):
        import numpy as np

        big = np.ones((512, 512))  # 2 MiB, above the mmap threshold: freeing it raises glibc's threshold
        del big
    call, _ = _workload(workload)
    if options.get("gc_off"):
        gc.disable()
    collections = [0]
    gc.callbacks.append(lambda phase, info: collections.__setitem__(0, collections[0] + (phase == "start")))
    end = time.perf_counter() + 0.3
    calls = 0
    while time.perf_counter() < end:
        call()
        calls += 1
    per_call = 0.3 / calls
    number = max(1, round(0.02 / per_call))
    samples, cpu, faults_before, gc_before = [], [], _minor_faults(), collections[0]
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number)
        cpu.append((time.process_time() - start_cpu) / number)
    faults = (_minor_faults() - faults_before) / (len(samples) * number)
    q = statistics.quantiles(samples, n=4)
    return {"median_s": statistics.median(samples), "iqr_s": q[2] - q[0], "cpu_s": statistics.median(cpu),
            "faults_per_call": faults, "gc_collections": collections[0] - gc_before, "calls": len(samples) * number}


def _child_main(workload: str, options: dict) -> None:
    if options.get("fork"):
        if workload.startswith("keras"):
            import tensorflow as tf
            if options.get("op_before_fork"):
                tf.config.threading.set_intra_op_parallelism_threads(1)
                tf.config.threading.set_inter_op_parallelism_threads(1)
                (tf.ones((4, 4)) @ tf.ones((4, 4))).numpy()   # starts TensorFlow's runtime and pools
        else:
            import importlib

            import torch
            for module in options.get("preload", []):
                importlib.import_module(module)
            if options.get("op_before_fork"):
                (torch.ones(4, 4) @ torch.ones(4, 4)).sum().item()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.write(write, json.dumps(_measure(workload, options)).encode())
            os._exit(0)
        os.close(write)
        data = b""
        while chunk := os.read(read, 65536):
            data += chunk
        os.waitpid(pid, 0)
        print(data.decode())
    else:
        print(json.dumps(_measure(workload, options)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("candidates", nargs="*", default=list(CANDIDATES))
    parser.add_argument("--processes", type=int, default=6)
    parser.add_argument("--workload", default="keras_mlp", choices=["keras_mlp", "torch_mlp"])
    parser.add_argument("--interleave", action="store_true",
                        help="one process of each candidate in turn (a host that drifts touches every candidate alike)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child_main(args.workload, json.loads(args.child))
        return 0
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{args.workload}: per process: wall median per call (us) / CPU-time median per call (us) / minor page "
          "faults per call / GC runs")
    def one(name: str) -> dict | None:
        env_changes, options = CANDIDATES[name]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", OMP_NUM_THREADS="1", **env_changes)
        prefix = options.get("prefix", [])
        done = subprocess.run([*prefix, sys.executable, __file__, "--workload", args.workload, "--child", json.dumps(options)],
                              env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            print(f"  {name}: process failed: {done.stderr.strip().splitlines()[-1:]}")
            return None
        return json.loads(done.stdout.strip().splitlines()[-1])

    rows: dict[str, list] = {name: [] for name in args.candidates}
    if args.interleave:
        for _ in range(args.processes):
            for name in args.candidates:
                rows[name].append(one(name))
    for name in args.candidates:
        if not args.interleave:
            rows[name] = [one(name) for _ in range(args.processes)]
        good = [r for r in rows[name] if r]
        cells = "  ".join(f"{r['median_s'] * 1e6:6.0f}/{r['cpu_s'] * 1e6:6.0f}/{r['faults_per_call']:4.1f}/{r['gc_collections']}"
                          for r in good)
        medians, cpus = [r["median_s"] for r in good], [r["cpu_s"] for r in good]
        spread = (max(medians) / min(medians)) if medians else float("nan")
        cpu_spread = (max(cpus) / min(cpus)) if cpus else float("nan")
        middle = statistics.median(medians) * 1e6 if medians else float("nan")
        print(f"  {name:<22} median {middle:6.0f} max/min wall {spread:5.2f} cpu {cpu_spread:5.2f}  {cells}")
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
