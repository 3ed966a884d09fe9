"""How much a claim's verdict depends on single tasks, categories, the metric, Delta and the zero rule.

Every check reruns the claim's decision rule on changed evidence with everything else held fixed:
the other tests of the Holm family keep their p-values, so only this claim's test moves. A verdict
that flips under any check, or that fewer than `fragile_share` of the task-bootstrap resamples
reproduce, is fragile (docs/claims.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

import numpy as np

from evaluator.base.metric_registry import Metric
from evaluator.claims.paired_evidence import Pairing
from evaluator.claims.report_model import ClaimOutcome, Robustness, RobustnessCheck
from evaluator.claims.claim_outcomes import claim_outcome, decide
from evaluator.claims.claim_protocol import ClaimDefinition, Protocol
from evaluator.base.stats import LogRatioTest, holm, log_ratio_test


@dataclass(frozen=True)
class HolmContext:
    """The raw p-values of the whole family, so that one member can be replaced and re-adjusted."""

    pvalues: tuple[float, ...]
    min_pvalues: tuple[float, ...]
    index: int

    def adjust(self, test: LogRatioTest, pvalue: float | None = None) -> LogRatioTest:
        """`test` as if it stood at `index` in the family (with `pvalue` instead of its own, if given)."""
        p = test.pvalue if pvalue is None else pvalue
        ps, mins = list(self.pvalues), list(self.min_pvalues)
        ps[self.index], mins[self.index] = (1.0, 1.0) if test.reason else (p, test.min_attainable_p)
        return dataclasses.replace(test, pvalue=p, pvalue_holm=holm(ps)[self.index],
                                   min_attainable_p_holm=holm(mins)[self.index])


def run_test(pairing: Pairing, metric: Metric, protocol: Protocol) -> LogRatioTest:
    return log_ratio_test(pairing.a_values, pairing.b_values, offset=metric.log_offset,
                          equivalence_confidence=protocol.equivalence_confidence)


def outcome_of(claim: ClaimDefinition, protocol: Protocol, test: LogRatioTest, key: LogRatioTest | None,
               *, delta: float | None = None, key_metric: Metric | None = None) -> ClaimOutcome:
    """The claim's outcome for an already Holm-adjusted primary test."""
    key_metric = key_metric or claim.key_secondary
    outcome, favours, reason = decide(
        test, delta=delta or claim.delta, alpha=protocol.alpha, min_tasks=claim.min_tasks, better=claim.primary.better,
        a_key=claim.a, b_key=claim.b, key_secondary=key, key_secondary_better=key_metric.better if key_metric else "lower")
    return claim_outcome(claim.kind, claim.favours, outcome, favours, reason)


def robustness(
    claim: ClaimDefinition, protocol: Protocol, verdict: str, primary: Pairing, key: Pairing | None,
    context: HolmContext, categories: dict[str, str], swapped: Callable[[Metric], Pairing | None],
) -> Robustness:
    """Every check of docs/claims.md for one claim whose outcome was `verdict`."""
    checks: list[RobustnessCheck] = []
    key_metric = claim.key_secondary

    def key_test(pairing: Pairing | None, metric: Metric | None = key_metric) -> LogRatioTest | None:
        return None if pairing is None or metric is None else run_test(pairing, metric, protocol)

    def check(kind: str, label: str, test: LogRatioTest, key_result: LogRatioTest | None, *, delta=None,
              key_m: Metric | None = None) -> None:
        o = outcome_of(claim, protocol, test, key_result, delta=delta, key_metric=key_m)
        checks.append(RobustnessCheck(kind, label, o, o.verdict != verdict))

    base = context.adjust(run_test(primary, claim.primary, protocol))
    base_key = key_test(key)
    for task in sorted(set(primary.unit_tasks)):
        test = context.adjust(run_test(primary.without_tasks([task]), claim.primary, protocol))
        check("leave one task out", f"without {task}", test, key_test(key.without_tasks([task]) if key else None))
    in_play = sorted({categories.get(t, "-") for t in primary.unit_tasks})
    if len(in_play) > 1:
        for category in in_play:
            drop = [t for t in primary.unit_tasks if categories.get(t, "-") == category]
            test = context.adjust(run_test(primary.without_tasks(drop), claim.primary, protocol))
            check("leave one category out", f"without the {category} tasks", test,
                  key_test(key.without_tasks(drop) if key else None))
    for metric in claim.swaps:
        pairing = swapped(metric)
        if pairing is not None:
            check("metric swap", f"{metric.name} instead of {claim.primary.name}",
                  context.adjust(run_test(pairing, metric, protocol)), base_key)
    for metric in claim.key_secondary_swaps:
        pairing = swapped(metric)
        if pairing is not None and key_metric is not None:
            check("metric swap", f"{metric.name} instead of {key_metric.name} as key secondary", base,
                  key_test(pairing, metric), key_m=metric)
    for delta in protocol.robustness_deltas:
        if delta != claim.delta:
            check("margin", f"Δ = {delta:g}", base, base_key, delta=delta)
    if base.pvalue_pratt is not None:
        check("zeros", "Pratt's rule for zero differences", context.adjust(base, base.pvalue_pratt), base_key)

    share = _bootstrap_share(claim, protocol, verdict, primary, key, context)
    flips = tuple(f"{c.label}: {c.outcome.outcome}" + (f" ({c.outcome.verdict})" if c.outcome.verdict != c.outcome.outcome else "")
                  for c in checks if c.flipped)
    fragile = bool(flips) or (share is not None and share < protocol.fragile_share)
    return Robustness(tuple(checks), share, protocol.bootstrap_resamples, fragile, flips)


def _bootstrap_share(claim: ClaimDefinition, protocol: Protocol, verdict: str, primary: Pairing, key: Pairing | None,
                     context: HolmContext) -> float | None:
    """Share of task resamples (with replacement, seeded) whose outcome gives the same verdict."""
    n = len(primary.units)
    if n < 2 or protocol.bootstrap_resamples < 1:
        return None
    rng = np.random.default_rng(protocol.bootstrap_seed)
    key_at = {u: i for i, u in enumerate(key.units)} if key is not None else {}
    same = 0
    for _ in range(protocol.bootstrap_resamples):
        picks = rng.integers(0, n, n)
        test = context.adjust(run_test(primary.take(picks), claim.primary, protocol))
        key_result = None
        if key is not None and claim.key_secondary is not None:
            key_picks = [key_at[primary.units[i]] for i in picks if primary.units[i] in key_at]
            key_result = run_test(key.take(key_picks), claim.key_secondary, protocol) if key_picks else None
        same += outcome_of(claim, protocol, test, key_result).verdict == verdict
    return same / protocol.bootstrap_resamples
