"""How long the statistics take: paired comparisons, timing comparisons and the claim protocol
(log-ratio tests, and every claim with its robustness checks on the task corpus) at report sizes.

Run: python benchmarks/bench_stats.py  (prints figures; not a test)
"""

import time

import numpy as np

from evaluator.base.stats import log_ratio_test, paired_comparison, timing_comparison


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
    print(f"log_ratio_test n=30: {best_of(lambda: log_ratio_test(a, b)) * 1e3:.2f} ms")
    print(f"log_ratio_test n=13 with ties (sign flips): {best_of(lambda: log_ratio_test(ties_a, ties_b, offset=1)) * 1e3:.2f} ms")
    claims_on_the_corpus()


def claims_on_the_corpus() -> None:
    """Every claim of the protocol on tasks/ (static evidence), robustness checks included."""
    from pathlib import Path

    from evaluator.corpus.discovery import discover
    from evaluator.claims.report_builder import display_names, task_summaries
    from evaluator.claims.claim_verdicts import evaluate_claims
    from evaluator.report.pipeline import static_records

    records, _ = static_records(Path("tasks"), None)
    tasks = task_summaries(discover(Path("tasks")))
    names = display_names({r.impl_key for r in records})
    seconds = best_of(lambda: evaluate_claims(records=records, tasks=tasks, names=names), repeats=3)
    print(f"evaluate_claims on tasks/ ({len(tasks)} tasks, static evidence, robustness included): {seconds:.2f} s")


if __name__ == "__main__":
    main()
