"""Claim 8 ("dynamic graphs make debugging easier"), decided once, by the claim protocol's
discordant-pairs rule (claims_protocol.toml, claim 8: `rule`, `margin`, `min_discordant`; docs/claims.md).

The unit is a pair of planted bugs (debugging/claim_evidence.py): the same bug in PyTorch and in
TensorFlow, in the primary comparison, decided on both sides, neither side absorbing it. A side
succeeds when the bug fails loud and localised. Only discordant pairs (one side succeeds) decide:
conditional on their number n, the count favouring PyTorch is binomial with share p (1/2 when neither
framework reports bugs better), whichever operators they come from (the matched-pairs analysis
stratified by operator: each pair is its own stratum, so the conditional exact test pools the
discordant pairs, a stratified McNemar test). The difference of shares favouring each side is
2p - 1; its interval is the exact Clopper-Pearson interval of p at the protocol's decisive confidence
(Bonferroni over the family: 99.09% in version 2), mapped to 2p - 1:

- supported: the interval's lower bound exceeds the margin (PyTorch's advantage is at least the margin);
- contradicted: the upper bound is below the margin (PyTorch's advantage is shown smaller than the
  margin: a trivial difference, or one favouring TensorFlow; the protocol's direction rule);
- undecided otherwise; not decidable with fewer than `min_discordant` discordant pairs (concordant
  pairs, both or neither side loud and localised, never decide and never make an equivalence).

The weighted secondary (each pair weighted by its operator's real-fault frequency) is printed beside
the verdict and does not decide. Protocol 1 decides claim 8 by its own frozen rule (per-task shares,
`per_task_shares`), only when a report is recomputed under it (`--protocol 1`).

`with_debugging` attaches the debugging summary to the report (the Debugging section shows the
verdict decided here and decides none of its own).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from evaluator.base.stats import clopper_pearson
from evaluator.claims.claim_outcomes import (
    CONTRADICTED, EQUIVALENT, INCONCLUSIVE, MEANINGFUL, NOT_DECIDABLE, NOT_MEASURED, SUPPORTED, TRIVIAL, UNDECIDED,
    UNDETERMINED,
)
from evaluator.claims.claim_protocol import ClaimDefinition, Protocol
from evaluator.claims.number_words import fmt_num
from evaluator.claims.report_model import Claim, ClaimOutcome, PairedEvidence, Report
from evaluator.debugging.claim_evidence import Claim8Evidence, claim8_evidence
from evaluator.debugging.debug_summary import DebugSummary, PairOutcome


def debugging_evidence(pairs: Sequence[PairOutcome], claim: ClaimDefinition, tasks: set[str] | None = None) -> Claim8Evidence:
    """The claim's pairs (a against b, no aids), of `tasks` only when given."""
    mine = [p for p in pairs if tasks is None or p.task in tasks]
    return claim8_evidence(mine, claim.a, claim.b)


def per_task_shares(pairs: Sequence[PairOutcome], a: str = "torch", b: str = "tensorflow") -> list[PairedEvidence]:
    """Protocol 1's frozen input for claim 8: per task, the share of its decided pairs loud and localised
    on each side (a log-ratio rule over tasks). Not used by protocol 2."""
    decided = [p for p in pairs if not p.aids and p.decided and p.a_key.split("_")[0] == a and p.b_key.split("_")[0] == b]
    tasks = sorted({p.task for p in decided})
    if not tasks:
        return []
    a_values, b_values = [], []
    for task in tasks:
        mine = [p for p in decided if p.task == task]
        a_values.append(sum(p.a.localised for p in mine) / len(mine))
        b_values.append(sum(p.b.localised for p in mine) / len(mine))
    return [PairedEvidence("loud_localised_share", a, b, tuple(tasks), tuple(a_values), tuple(b_values))]


def _name(names: Mapping[str, str], key: str) -> str:
    return names.get(key, key)


def discordant_interval(evidence: Claim8Evidence, confidence: float) -> tuple[float, tuple[float, float]]:
    """(the difference of shares favouring a minus b among discordant pairs, its exact interval)."""
    n = evidence.discordant
    low, high = clopper_pearson(evidence.a_only, n, confidence)
    return (2 * evidence.a_only / n - 1 if n else 0.0), (2 * low - 1, 2 * high - 1)


def discordant_outcome(claim: ClaimDefinition, protocol: Protocol, evidence: Claim8Evidence | None) -> ClaimOutcome:
    """Claim 8's outcome and verdict under the discordant-pairs rule."""
    if evidence is None or evidence.pairs == 0:
        return ClaimOutcome(NOT_MEASURED, None, NOT_MEASURED,
                            "no debugging evidence yet (planted bugs: run easeval debug; see docs/debugging.md)")
    if evidence.discordant < claim.min_discordant:
        return ClaimOutcome(NOT_DECIDABLE, None, UNDECIDED, (
            f"{evidence.discordant} discordant pairs (of {evidence.pairs} primary pairs; {evidence.concordant} concordant "
            f"pairs cannot decide); deciding it needs at least {claim.min_discordant}"))
    confidence = protocol.decision_confidence
    estimate, (low, high) = discordant_interval(evidence, confidence)
    # orient to the side the claim favours: a positive difference = that side reports bugs better
    sign = 1 if claim.favours == claim.a else -1
    low, high = (low, high) if sign == 1 else (-high, -low)
    m = claim.margin
    other = claim.b if claim.favours == claim.a else claim.a
    favours = claim.favours if low > 0 else other if high < 0 else None
    if low > 0 or high < 0:   # the interval excludes no difference
        outcome = MEANINGFUL if (low > m or high < -m) else TRIVIAL if (-m < low and high < m) else UNDETERMINED
    else:
        outcome = EQUIVALENT if (-m < low and high < m) else INCONCLUSIVE
    interval = f"{confidence:.2%} exact interval of the difference {fmt_num(low)} to {fmt_num(high)}"
    if low > m:
        return ClaimOutcome(outcome, favours, SUPPORTED, f"{interval} lies above the margin {m:g}")
    if high < m:
        return ClaimOutcome(outcome, favours, CONTRADICTED, f"{interval} lies below the margin {m:g}: the claimed "
                                                            "side's advantage is shown smaller than the margin")
    return ClaimOutcome(outcome, favours, UNDECIDED, f"{interval} straddles the margin {m:g}")


def decided_by(claim: ClaimDefinition, protocol: Protocol) -> str:
    return (f"the planted-bug pairs of the primary comparison (PyTorch eager against TensorFlow like for like), "
            f"pairs with a benign side left out; over the discordant pairs (exactly one side loud and localised), "
            f"the difference of the shares favouring each side, stratified by operator (a pooled exact conditional "
            f"test), with its exact Clopper-Pearson interval at {protocol.decision_confidence:.2%} (Bonferroni over the "
            f"{len(protocol.family())} tests of protocol {protocol.version}): supported when it lies above the margin "
            f"{claim.margin:g}, contradicted when it lies below it, undecided otherwise; at least {claim.min_discordant} "
            f"discordant pairs; concordant pairs never decide")


def evidence_lines(evidence: Claim8Evidence | None, protocol: Protocol, names: Mapping[str, str]) -> list[str]:
    if evidence is None or evidence.pairs == 0:
        return []
    a, b = _name(names, evidence.a_key), _name(names, evidence.b_key)
    lines = [f"Primary pairs: {evidence.pairs} in {len(evidence.tasks)} tasks; concordant {evidence.concordant} "
             f"(both loud and localised {sum(s.both for s in evidence.strata)}, neither "
             f"{sum(s.neither for s in evidence.strata)}); discordant {evidence.discordant}: {a} only {evidence.a_only}, "
             f"{b} only {evidence.b_only}. Left out: {evidence.absorbed} pairs a framework absorbed (benign side), "
             f"{evidence.other_comparisons} of other comparisons, {evidence.undecided_pairs} not decided on both sides."]
    if evidence.discordant:
        estimate, (low, high) = discordant_interval(evidence, protocol.decision_confidence)
        lines.append(f"Difference of shares among discordant pairs ({a} minus {b}): {fmt_num(estimate)}, "
                     f"{protocol.decision_confidence:.2%} Clopper-Pearson interval {fmt_num(low)} to {fmt_num(high)}.")
    strata = [s for s in evidence.strata if s.a_only or s.b_only]
    if strata:
        lines.append("Per operator (discordant, " + f"{a} only / {b} only): "
                     + "; ".join(f"{s.operator} {s.a_only}/{s.b_only}" for s in strata) + ".")
    weighted = evidence.weighted_difference
    if weighted is not None:
        lines.append(f"Weighted secondary (operators weighted by real-fault frequency; descriptive, does not decide): "
                     f"difference of shares {fmt_num(weighted)}.")
    return lines


def decide_debugging_claim(claim: ClaimDefinition, protocol: Protocol, evidence: Claim8Evidence | None,
                           names: Mapping[str, str]) -> Claim:
    """Claim 8 as the report shows it, decided by the discordant-pairs rule."""
    outcome = discordant_outcome(claim, protocol, evidence)
    tasks_needed = None
    lines = evidence_lines(evidence, protocol, names)
    if outcome.outcome == NOT_DECIDABLE:
        lines.append(f"Not decidable: {outcome.reason}.")
    marks = ("not decidable",) if outcome.outcome == NOT_DECIDABLE else ()
    figure = units = ""
    if evidence is not None and evidence.pairs:
        units = f"{evidence.pairs} pairs / {evidence.discordant} discordant"
    if evidence is not None and evidence.discordant:
        estimate, (low, high) = discordant_interval(evidence, protocol.decision_confidence)
        figure = f"difference of shares {fmt_num(estimate)} ({fmt_num(low)} to {fmt_num(high)}, margin {claim.margin:g})"
    return Claim(
        number=claim.number, statement=claim.statement, decided_by=decided_by(claim, protocol), verdict=outcome.verdict,
        evidence=tuple(lines), key=claim.key, construct=claim.construct, protocol_version=protocol.version,
        outcome=outcome, comparison=f"{_name(names, claim.a)} vs {_name(names, claim.b)}, planted-bug pairs",
        comparison_short=f"{_name(names, claim.a)} vs {_name(names, claim.b)}", primary_metric=claim.primary.name,
        primary_why=claim.primary_why, delta=claim.delta, delta_why=claim.delta_why, min_tasks=claim.min_tasks,
        tasks_needed=tasks_needed, marks=marks, pair_evidence=evidence, primary_figure=figure, units_figure=units,
    )


def with_debugging(report: Report, summary: DebugSummary | None) -> Report:
    """The report with its debugging evidence (the Debugging section); claim 8 stays as the protocol decided it."""
    if summary is None:
        return report
    return replace(report, debugging=summary)
