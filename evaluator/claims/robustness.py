"""How much a claim's verdict depends on single tasks, families of similar tasks, categories, the
metric, Delta and the zero rule.

Every check reruns the claim's decision rule (decision_rules.py: the protocol version's own) on
changed evidence with everything else held fixed: under protocol 1 the other tests of the Holm family
keep their p-values; under protocol 2 the family-wise level stays. Each check records whether the
verdict flipped and whether the outcome changed within the same verdict (claim 2's leave-one-task-out
turning *trivial* into *equivalent* is a change, not a flip). A verdict that flips under any check, or
that fewer than `fragile_share` of the task (or, where families are declared, family) bootstrap
resamples reproduce, is fragile (docs/claims.md).
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from evaluator.base.metric_registry import Metric
from evaluator.base.stats import LogRatioTest
from evaluator.claims.claim_protocol import ClaimDefinition, Protocol
from evaluator.claims.decision_rules import ZEROS_KEPT, Rule, run_test
from evaluator.claims.paired_evidence import Pairing
from evaluator.claims.report_model import ClaimOutcome, Robustness, RobustnessCheck


def robustness(
    claim: ClaimDefinition, protocol: Protocol, outcome: ClaimOutcome, primary: Pairing, key: Pairing | None,
    rule: Rule, categories: Mapping[str, str], swapped: Callable[[Metric], Pairing | None],
    families: Mapping[str, str] | None = None,
) -> Robustness:
    """Every check of docs/claims.md for one claim whose outcome was `outcome`."""
    checks: list[RobustnessCheck] = []
    key_metric = claim.key_secondary
    verdict = outcome.verdict

    def key_test(pairing: Pairing | None, metric: Metric | None = key_metric) -> LogRatioTest | None:
        return None if pairing is None or metric is None or not pairing.units else run_test(pairing, metric, protocol)

    def check(kind: str, label: str, pairing: Pairing, key_result: LogRatioTest | None, *, delta=None,
              key_m: Metric | None = None, metric: Metric | None = None, zeros: str = ZEROS_KEPT) -> None:
        test = rule.test(pairing, metric or claim.primary)
        o = rule.outcome(test, pairing, key_result, delta=delta, key_metric=key_m, zeros=zeros, metric=metric)
        checks.append(RobustnessCheck(kind, label, o, o.verdict != verdict,
                                      o.verdict == verdict and (o.outcome, o.favours) != (outcome.outcome, outcome.favours)))

    def without(kind: str, label: str, drop: list[str]) -> None:
        check(kind, label, primary.without_tasks(drop), key_test(key.without_tasks(drop) if key else None))

    base_key = key_test(key)
    for task in sorted(set(primary.unit_tasks)):
        without("leave one task out", f"without {task}", [task])
    family_of = {t: (families or {}).get(t, t) for t in primary.unit_tasks}
    for family in sorted({f for t, f in family_of.items() if sum(g == f for g in family_of.values()) > 1}):
        members = sorted(t for t, f in family_of.items() if f == family)
        without("leave one family out", f"without the family {', '.join(members)}", members)
    in_play = sorted({categories.get(t, "-") for t in primary.unit_tasks})
    if len(in_play) > 1 and not claim.contrast:   # a contrast's groups are categories: leaving one out ends it
        for category in in_play:
            without("leave one category out", f"without the {category} tasks",
                    [t for t in primary.unit_tasks if categories.get(t, "-") == category])
    for metric in claim.swaps:
        pairing = swapped(metric)
        if pairing is not None:
            check("metric swap", f"{metric.name} instead of {claim.primary.name}", pairing, base_key, metric=metric)
    for metric in claim.key_secondary_swaps:
        pairing = swapped(metric)
        if pairing is not None and key_metric is not None:
            check("metric swap", f"{metric.name} instead of {key_metric.name} as key secondary", primary,
                  key_test(pairing, metric), key_m=metric)
    for delta in protocol.robustness_deltas:
        if delta != claim.delta:
            check("margin", f"Δ = {delta:g}", primary, base_key, delta=delta)
    for zeros, label in rule.zero_rules(rule.test(primary, claim.primary)):
        check("zeros", label, primary, base_key, zeros=zeros)

    share = _bootstrap_share(claim, protocol, verdict, primary, key, rule, None)
    family_share = _bootstrap_share(claim, protocol, verdict, primary, key, rule, family_of) \
        if families and len(set(family_of.values())) < len(family_of) else None
    flips = tuple(f"{c.label}: {c.outcome.outcome}" + (f" ({c.outcome.verdict})" if c.outcome.verdict != c.outcome.outcome else "")
                  for c in checks if c.flipped)
    fragile = bool(flips) or any(s is not None and s < protocol.fragile_share for s in (share, family_share))
    return Robustness(tuple(checks), share, protocol.bootstrap_resamples, fragile, flips,
                      family_bootstrap_share=family_share, families=len(set(family_of.values())) if families else None)


def _bootstrap_share(claim: ClaimDefinition, protocol: Protocol, verdict: str, primary: Pairing, key: Pairing | None,
                     rule: Rule, family_of: Mapping[str, str] | None) -> float | None:
    """Share of resamples (with replacement, seeded) whose outcome gives the same verdict: of tasks, or,
    with `family_of`, of whole families (a cluster bootstrap: similar tasks are not independent)."""
    n = len(primary.units)
    if n < 2 or protocol.bootstrap_resamples < 1:
        return None
    rng = np.random.default_rng(protocol.bootstrap_seed)
    key_at = {u: i for i, u in enumerate(key.units)} if key is not None else {}
    clusters: list[list[int]] = []
    if family_of is not None:
        index: dict[str, list[int]] = {}
        for i, task in enumerate(primary.unit_tasks):
            index.setdefault(family_of.get(task, task), []).append(i)
        clusters = [index[f] for f in sorted(index)]
    same = 0
    for _ in range(protocol.bootstrap_resamples):
        if clusters:
            picks = [i for c in rng.integers(0, len(clusters), len(clusters)) for i in clusters[c]]
        else:
            picks = list(rng.integers(0, n, n))
        resample = primary.take(picks)
        key_result = None
        if key is not None and claim.key_secondary is not None:
            key_picks = [key_at[primary.units[i]] for i in picks if primary.units[i] in key_at]
            key_result = run_test(key.take(key_picks), claim.key_secondary, protocol) if key_picks else None
        same += rule.outcome(rule.test(resample, claim.primary), resample, key_result).verdict == verdict
    return same / protocol.bootstrap_resamples
