"""easeval's GPU timing against torch.utils.benchmark on a bfloat16 matmul (benchmarks/gpu_corpus).

    python benchmarks/gpu_check.py --out DIR [--device cuda] [--size large] [--processes 3]

easeval times the task as `easeval run` does (--processes independent processes); the reference is
`torch.utils.benchmark.Timer(...).blocked_autorange` (which synchronises CUDA around its timings) in
as many fresh processes, and the verdict compares the medians of the process medians: within 7%
passes. Writes DIR/matmul.json and prints one line per figure. Run by benchmarks/gpu_check.sh;
`--device cpu --size small` smoke-tests it on any machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "benchmarks" / "gpu_corpus"
TARGET = 0.07
REFERENCE = """
import json, sys
import numpy as np
import torch
from torch.utils.benchmark import Timer
device, n, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
torch.set_num_threads(1)
torch.backends.cuda.matmul.allow_tf32 = False
rng = np.random.default_rng(0)
a, b = ((torch.from_numpy((rng.integers(-4, 5, (n, n)) / 4).astype(np.float32))).to(device=device, dtype=torch.bfloat16)
        for _ in range(2))
(a @ b).float().sum().item()  # warm-up: cuBLAS handles, workspaces
m = Timer("a @ b", globals={"a": a, "b": b}, num_threads=1).blocked_autorange(min_run_time=seconds)
print(json.dumps({"median_s": m.median, "samples": len(m.times)}))
"""


def easeval_timing(out: Path, device: str, size: str, processes: int, seconds: float) -> dict:
    results = out / "matmul-results"
    command = [sys.executable, "-m", "evaluator", "run", "matmul_bf16", "--tasks", str(CORPUS), "--framework", "torch",
               "--device", device, "--size", size, "--processes", str(processes), "--min-time", str(seconds),
               "--max-time", str(4 * seconds), "--results", str(results), "--force", "--format", "json"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    (out / "matmul-easeval.log").write_text(done.stderr)
    (record,) = json.loads(done.stdout)
    if record["status"] != "ok":
        raise SystemExit(f"easeval's measurement failed: {record['status']}: {record.get('error')}")
    return record


def reference_timing(device: str, n: int, processes: int, seconds: float) -> list[float]:
    medians = []
    for _ in range(processes):
        done = subprocess.run([sys.executable, "-c", REFERENCE, device, str(n), str(seconds / processes)],
                              capture_output=True, text=True, timeout=600, check=True)
        medians.append(json.loads(done.stdout.strip().splitlines()[-1])["median_s"])
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--size", default="large")
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds, all processes together, each side")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    n = {"large": 8192, "small": 256}[args.size]
    started = time.perf_counter()
    record = easeval_timing(args.out, args.device, args.size, args.processes, args.seconds)
    easeval_medians = [p["median_s"] for p in record["timing"]["replicates"] if p.get("median_s")]
    reference_medians = reference_timing(args.device, n, args.processes, args.seconds)
    easeval_median, reference_median = statistics.median(easeval_medians), statistics.median(reference_medians)
    ratio = easeval_median / reference_median
    flops = 2 * n**3
    summary = {
        "device": args.device, "device_name": record.get("device_name"), "n": n, "dtype": "bfloat16",
        "easeval_process_medians_s": easeval_medians, "reference_process_medians_s": reference_medians,
        "easeval_median_s": easeval_median, "reference_median_s": reference_median, "ratio": ratio,
        "tflops_easeval": flops / easeval_median / 1e12, "tflops_reference": flops / reference_median / 1e12,
        "target": TARGET, "passed": abs(ratio - 1) <= TARGET, "seconds": time.perf_counter() - started,
        "reference_timer": "torch.utils.benchmark.Timer.blocked_autorange", "first_call_s": record["timing"]["first_call_s"],
    }
    (args.out / "matmul.json").write_text(json.dumps(summary, indent=1))
    print(f"bf16 {n}x{n}x{n} matmul on {args.device} ({summary['device_name'] or 'cpu'}): easeval {easeval_median * 1e3:.3f} ms "
          f"(processes {', '.join(f'{m * 1e3:.3f}' for m in easeval_medians)}), torch.utils.benchmark "
          f"{reference_median * 1e3:.3f} ms ({', '.join(f'{m * 1e3:.3f}' for m in reference_medians)}); ratio {ratio:.3f} "
          f"({summary['tflops_easeval']:.0f} vs {summary['tflops_reference']:.0f} TFLOP/s): "
          f"{'PASS' if summary['passed'] else 'FAIL'} (target within {TARGET:.0%})")
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # noqa: BLE001 - one line for the summary; the traceback goes to stderr
        import traceback

        traceback.print_exc()
        print(f"gpu_check.py failed: {type(exc).__name__}: {exc}")
        sys.exit(2)
