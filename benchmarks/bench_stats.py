"""How long the statistics take: paired comparisons and timing comparisons at report sizes.

Run: python benchmarks/bench_stats.py  (prints figures; not a test)
"""

import time

import numpy as np

from evaluator.stats import paired_comparison, timing_comparison


def best_of(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.lognormal(0.0, 1.0, 30), rng.lognormal(0.2, 1.0, 30)
    ties_a, ties_b = np.round(rng.lognormal(0, 1, 13), 0) + 1, np.round(rng.lognormal(0, 1, 13), 0) + 1
    sa, sb = rng.lognormal(0, 0.1, 30), rng.lognormal(0.1, 0.1, 30)
    print(f"paired_comparison n=30, 9999 resamples: {best_of(lambda: paired_comparison(a, b)) * 1e3:.1f} ms")
    print(f"paired_comparison n=13 with ties (permutation path): {best_of(lambda: paired_comparison(ties_a, ties_b)) * 1e3:.1f} ms")
    print(f"timing_comparison 30 vs 30 samples: {best_of(lambda: timing_comparison(sa, sb)) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
