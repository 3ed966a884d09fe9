"""The two decision rules of the claim protocol, behind one interface, so that the claims, their
robustness checks and their bootstraps rerun exactly the rule the protocol version names.

- `LakensRule` (protocol 1): the Wilcoxon test Holm-corrected across the family, Lakens' outcomes
  from it and the 90% interval; the verdict read off the outcome.
- `IntervalRule` (protocol 2): one interval at the family-wise level (Bonferroni: 1 - 2 alpha / m),
  a Walsh-average interval of the per-task log ratios or, for a contrast, the Mann-Whitney interval
  of the shift between two groups of tasks; the verdict from where it lies against Delta.

Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from evaluator.base.interval_stats import shift_interval
from evaluator.base.metric_registry import Metric
from evaluator.base.stats import LogRatioTest, holm, log_ratio_test, log_ratios, walsh_interval
from evaluator.claims.claim_outcomes import claim_outcome, decide, decide_by_interval
from evaluator.claims.claim_protocol import INTERVAL, ClaimDefinition, Protocol
from evaluator.claims.paired_evidence import Pairing
from evaluator.claims.report_model import ClaimOutcome

ZEROS_KEPT, ZEROS_DROPPED, PRATT = "kept", "dropped", "pratt"


def run_test(pairing: Pairing, metric: Metric, protocol: Protocol) -> LogRatioTest:
    return log_ratio_test(pairing.a_values, pairing.b_values, offset=metric.log_offset,
                          equivalence_confidence=protocol.equivalence_confidence)


def _split(pairing: Pairing, metric: Metric, group: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    """The log ratios of the units whose task is in `group`, and of the others."""
    if not pairing.units:
        return np.zeros(0), np.zeros(0)
    d = log_ratios(pairing.a_values, pairing.b_values, metric.log_offset)
    inside = np.array([t in group for t in pairing.unit_tasks])
    return d[inside], d[~inside]


def contrast_test(pairing: Pairing, metric: Metric, protocol: Protocol, group: frozenset[str]) -> LogRatioTest:
    """The shift of the group's log ratios against the other units' (Hodges-Lehmann, Mann-Whitney), as a
    LogRatioTest whose ratio is the ratio of ratios: above 1 when a/b is larger in the group. `n` counts
    the group's units (the claim's minimum applies to them); the method names both sizes."""
    try:
        x, y = _split(pairing, metric, group)
    except ValueError as exc:
        return LogRatioTest(len(pairing.units), 0, metric.log_offset, 1.0, "none", None, 1.0, None, None, None, 0.0,
                            None, 0.0, 0.0, str(exc))
    if len(x) == 0 or len(y) == 0:
        reason = "no unit in the group" if len(x) == 0 else "no unit outside the group"
        return LogRatioTest(len(x), 0, metric.log_offset, 1.0, "none", None, 1.0, None, None, None, 0.0, None, 0.0, 0.0,
                            reason)
    wide = shift_interval(x, y, 0.95)
    equivalence = shift_interval(x, y, protocol.equivalence_confidence)
    pooled = float(np.sqrt(((len(x) - 1) * np.var(x, ddof=1) + (len(y) - 1) * np.var(y, ddof=1)) / (len(x) + len(y) - 2))) \
        if len(x) + len(y) > 2 and len(x) > 1 and len(y) > 1 else 0.0
    return LogRatioTest(
        n=len(x), n_nonzero=int(np.sum(x != 0)), offset=metric.log_offset, pvalue=wide.pvalue,
        method=f"mann-whitney ({len(x)} against {len(y)} tasks)", pvalue_pratt=None,
        min_attainable_p=2.0 / math.comb(len(x) + len(y), len(x)), rank_biserial=None,
        ratio=float(np.exp(wide.shift)), ci=(float(np.exp(wide.low)), float(np.exp(wide.high))), ci_level=wide.achieved,
        ci_equivalence=(float(np.exp(equivalence.low)), float(np.exp(equivalence.high))),
        ci_equivalence_level=equivalence.achieved, sd_log=pooled,
    )


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


@dataclass(frozen=True)
class LakensRule:
    """Protocol 1: Holm-adjusted Wilcoxon, Lakens' outcomes, the verdict read off the outcome."""

    claim: ClaimDefinition
    protocol: Protocol
    context: HolmContext

    def test(self, pairing: Pairing, metric: Metric) -> LogRatioTest:
        return run_test(pairing, metric, self.protocol)

    def outcome(self, test: LogRatioTest, pairing: Pairing, key: LogRatioTest | None, *, delta: float | None = None,
                key_metric: Metric | None = None, zeros: str = ZEROS_KEPT, metric: Metric | None = None) -> ClaimOutcome:
        claim = self.claim
        key_metric = key_metric or claim.key_secondary
        adjusted = self.context.adjust(test, test.pvalue_pratt if zeros == PRATT else None)
        outcome, favours, reason = decide(
            adjusted, delta=delta or claim.delta, alpha=self.protocol.alpha, min_tasks=claim.min_tasks,
            better=claim.primary.better, a_key=claim.a, b_key=claim.b, key_secondary=key,
            key_secondary_better=key_metric.better if key_metric else "lower")
        return claim_outcome(claim.kind, claim.favours, outcome, favours, reason)

    def zero_rules(self, test: LogRatioTest) -> Sequence[tuple[str, str]]:
        return ((PRATT, "Pratt's rule for zero differences"),) if test.pvalue_pratt is not None else ()


@dataclass(frozen=True)
class IntervalRule:
    """Protocol 2: the verdict from one interval at the family-wise level against Delta."""

    claim: ClaimDefinition
    protocol: Protocol
    group: frozenset[str] = frozenset()   # a contrast's tasks (the claim's category)

    @property
    def confidence(self) -> float:
        return self.protocol.decision_confidence

    def test(self, pairing: Pairing, metric: Metric) -> LogRatioTest:
        if self.claim.contrast:
            return contrast_test(pairing, metric, self.protocol, self.group)
        return run_test(pairing, metric, self.protocol)

    def interval(self, pairing: Pairing, metric: Metric, zeros: str = ZEROS_KEPT) -> tuple[tuple[float, float] | None, float]:
        """(the ratio interval at the family-wise confidence, the confidence it achieves)."""
        try:
            if self.claim.contrast:
                x, y = _split(pairing, metric, self.group)
                if len(x) == 0 or len(y) == 0:
                    return None, 0.0
                s = shift_interval(x, y, self.confidence)
                return (float(np.exp(s.low)), float(np.exp(s.high))), s.achieved
            if not pairing.units:
                return None, 0.0
            d = log_ratios(pairing.a_values, pairing.b_values, metric.log_offset)
        except ValueError:
            return None, 0.0
        if zeros == ZEROS_DROPPED:
            d = d[d != 0]
            if len(d) == 0:
                return None, 0.0
        low, high, achieved = walsh_interval(d, self.confidence)
        return (float(np.exp(low)), float(np.exp(high))), achieved

    def outcome(self, test: LogRatioTest, pairing: Pairing, key: LogRatioTest | None, *, delta: float | None = None,
                key_metric: Metric | None = None, zeros: str = ZEROS_KEPT, metric: Metric | None = None) -> ClaimOutcome:
        claim = self.claim
        key_metric = key_metric or claim.key_secondary
        interval, achieved = self.interval(pairing, metric or claim.primary, zeros) if not test.reason else (None, 0.0)
        return decide_by_interval(
            test, interval, achieved, confidence=self.confidence, kind=claim.kind, claimed=claim.favours,
            delta=delta or claim.delta, alpha=self.protocol.alpha, min_tasks=claim.min_tasks,
            min_nonzero=claim.min_nonzero, better=claim.primary.better, a_key=claim.a, b_key=claim.b,
            key_secondary=key, key_secondary_better=key_metric.better if key_metric else "lower",
            units="tasks" if claim.evidence != "compiled" else "compiled-variant pairs")

    def zero_rules(self, test: LogRatioTest) -> Sequence[tuple[str, str]]:
        if self.claim.contrast or test.n_nonzero == test.n:
            return ()
        return ((ZEROS_DROPPED, "zero differences dropped from the interval (Wilcoxon's rule)"),)


Rule = LakensRule | IntervalRule


def rule_for(claim: ClaimDefinition, protocol: Protocol, *, context: HolmContext | None = None,
             group: frozenset[str] = frozenset()) -> Rule:
    if protocol.decision == INTERVAL:
        return IntervalRule(claim, protocol, group)
    assert context is not None, "protocol 1 decides through the Holm family"
    return LakensRule(claim, protocol, context)
