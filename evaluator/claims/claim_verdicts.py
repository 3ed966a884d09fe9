"""The essay's claims, decided by the claim protocol (claims_protocol.toml, docs/claims.md).

For each claim: its primary test on per-task log ratios (Wilcoxon signed-rank, Hodges-Lehmann, Walsh
intervals; a two-sample shift for a contrast), as written and like for like; the outcome and verdict by
the protocol version's decision rule (decision_rules.py: Holm and Lakens' outcomes in version 1, one
interval at the family-wise level in version 2); the minimal detectable effect; exploratory
secondaries; robustness checks; and, when external corpora are given, the outcome per corpus and the
contested mark. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping, Sequence

import numpy as np

from evaluator.frameworks import adapter_names, implementation_name
from evaluator.claims.paired_evidence import CORE, HIGH, Evidence, Pairing, level, pairing
from evaluator.claims.report_model import (
    MAIN_CORPUS,
    CategoryRow, Claim, ClaimOutcome, ClaimTest, PairedEvidence, CorpusOutcome, RunEnvironment, StaticRecord, TaskSummary,
)
from evaluator.claims.claim_outcomes import NOT_DECIDABLE, NOT_MEASURED, claim_outcome, contested, decide, outcome_words
from evaluator.claims.claim_protocol import (
    AS_WRITTEN, DISCORDANT_PAIRS, INTERVAL, LIKE_FOR_LIKE, ClaimDefinition, Protocol, load_protocol,
)
from evaluator.claims.debugging_claim import decide_debugging_claim, debugging_evidence, per_task_shares
from evaluator.debugging.debug_summary import PairOutcome
from evaluator.claims.decision_rules import HolmContext, IntervalRule, Rule, rule_for, run_test
from evaluator.claims.robustness import robustness
from evaluator.claims.number_words import fmt_num, fmt_p
from evaluator.results import Measurement
from evaluator.base.interval_stats import interpolated_walsh_interval, mde_ratio_exact, tasks_for_power_exact
from evaluator.base.stats import (
    LogRatioTest, geometric_mean_ratio, holm, holm_family, log_ratios, mde_ratio, min_tasks_for, tasks_for_power, walsh_interval,
)

UNITS = {"compiled": "compiled-variant pairs"}
# The claim whose primary metric the per-category view ("where each framework wins") shows.
CATEGORY_CLAIM = 1


def style_name(framework: str, names: Mapping[str, str]) -> str:
    """What a framework's primaries are written with, as its adapter declares (e.g. Keras)."""
    return implementation_name(framework, style=True) if framework in adapter_names() else names.get(framework, framework)


def _name(names: Mapping[str, str], key: str) -> str:
    return {"compiled": "compiled variant", "eager": "eager primary"}.get(key) or names.get(key, key)


def _holm_step(pvalues: Sequence[float], index: int) -> int:
    """Holm's multiplier for the test at `index`: m - rank + 1, rank in ascending order (stable)."""
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    return len(pvalues) - order.index(index)


def _claim_test(metric, claim: ClaimDefinition, comparison: str, p: Pairing, result: LogRatioTest,
                protocol: Protocol, step: int | None = None, rule: Rule | None = None) -> ClaimTest:
    """A claim's test with its interval at the family-wise level: protocol 1 the Holm step's (`step`),
    protocol 2 the decisive Bonferroni interval (`rule`)."""
    holm_level = ci_holm = bootstrap = achieved = None
    if isinstance(rule, IntervalRule) and not result.reason and result.n:
        ci_holm, achieved = rule.interval(p, metric)
        holm_level = rule.confidence if ci_holm is not None else None
        if not claim.contrast:
            bootstrap = geometric_mean_ratio(np.exp(log_ratios(p.a_values, p.b_values, metric.log_offset)))
    elif step is not None and not result.reason and result.n:
        holm_level = 1 - protocol.alpha / step
        d = np.log((np.asarray(p.a_values, float) + metric.log_offset) / (np.asarray(p.b_values, float) + metric.log_offset))
        low, high, achieved = walsh_interval(d, holm_level)
        ci_holm = (float(np.exp(low)), float(np.exp(high)))
        bootstrap = geometric_mean_ratio(np.exp(d))
    return ClaimTest(metric, claim.a, claim.b, comparison, p.units, p.a_impls, p.b_impls, p.a_values, p.b_values,
                     result, holm_level, ci_holm, achieved, bootstrap)


def _levels(records: Iterable[StaticRecord]) -> dict[tuple[str, str], str]:
    return {(r.task_id, r.impl_key): level(r) for r in records if r.error is None}


def _side_words(impls: Sequence[str], units: Sequence[str], levels: Mapping[tuple[str, str], str], key: str,
                names: Mapping[str, str]) -> str:
    """'Keras, high-level on 5 of 29 tasks' / 'core' for one side of a static comparison."""
    kinds = [levels.get((u, k), CORE) for u, k in zip(units, impls)]
    high = sum(k == HIGH for k in kinds)
    variants = sum(k != key for k in impls)
    framework = key.split("_")[0]
    words = f"{names.get(key, key)} core" if not high else (
        f"{names.get(key, key)} as written: {style_name(framework, names)} high-level on {high} of {len(kinds)} tasks, "
        f"core on {len(kinds) - high}")
    if variants:
        words += f" (a core variant on {variants} tasks)"
    return words


def comparison_label(test: ClaimTest | None, records: Iterable[StaticRecord], names: Mapping[str, str]) -> str:
    """Which comparison an outcome states, e.g. 'PyTorch core vs TensorFlow as written: Keras high-level on 5 of 29 tasks, core on 24'."""
    if test is None or not test.units:
        return ""
    if test.metric.source != "static":
        return f"{_name(names, test.a_key)} vs {_name(names, test.b_key)}, {len(test.units)} units"
    levels = _levels(records)
    a = _side_words(test.a_impls, test.units, levels, test.a_key, names)
    b = _side_words(test.b_impls, test.units, levels, test.b_key, names)
    return f"{a} vs {b} ({test.comparison})"


def _ci_words(ci: tuple[float, float], achieved: float, requested: float) -> str:
    if achieved < requested - 1e-9:
        return f"{requested:.0%} CI not reachable with so few tasks ({achieved:.0%} interval {fmt_num(ci[0])} to {fmt_num(ci[1])})"
    return f"{requested:.0%} CI {fmt_num(ci[0])} to {fmt_num(ci[1])}"


def comparison_short(test: ClaimTest | None, records: Iterable[StaticRecord], names: Mapping[str, str]) -> str:
    """The comparison in a few words: 'PyTorch core vs TensorFlow as written (Keras fit/evaluate on 5/29)'."""
    if test is None or not test.units:
        return ""
    if test.metric.source != "static":
        return f"{_name(names, test.a_key)} vs {_name(names, test.b_key)}"
    levels = _levels(records)
    sides = []
    for impls, key in ((test.a_impls, test.a_key), (test.b_impls, test.b_key)):
        high = sum(levels.get((u, k), CORE) == HIGH for u, k in zip(test.units, impls))
        style = style_name(key.split("_")[0], names)
        sides.append(f"{names.get(key, key)} core" if not high else
                     f"{names.get(key, key)} as written ({style} fit/evaluate on {high}/{len(impls)})")
    return " vs ".join(sides)


def test_sentence(t: ClaimTest, names: Mapping[str, str], family_size: int | None = None) -> str:
    """'source lines of code, PyTorch/TensorFlow (as written): ratio 1.31, 95% CI ..., p = ... (Holm), 29 tasks (29 non-zero)'."""
    r = t.result
    a, b = _name(names, t.a_key), _name(names, t.b_key)
    head = f"{t.metric.label} ({t.metric.name}), {a}/{b} ({t.comparison})"
    if r.reason:
        return f"{head}: no test ({r.reason})"
    holm_words = f", Holm over {family_size}: p = {fmt_p(r.pvalue_holm)}" if r.pvalue_holm is not None and family_size else ""
    offset = f", +{r.offset:g} offset" if r.offset else ""
    return (f"{head}: ratio {fmt_num(r.ratio)} (Hodges-Lehmann of the log ratios{offset}), "
            f"{_ci_words(r.ci, r.ci_level, 0.95)}, {_ci_words(r.ci_equivalence, r.ci_equivalence_level, 0.90)}; "
            f"Wilcoxon p = {fmt_p(r.pvalue)}{holm_words}; Pratt p = {fmt_p(r.pvalue_pratt)}; "
            f"n = {r.n} ({r.n_nonzero} non-zero)")


def contrast_group(claim: ClaimDefinition, categories: Mapping[str, str]) -> frozenset[str]:
    """A contrast's tasks: those of the claim's category (set against every other task)."""
    return frozenset(t for t, c in categories.items() if c == claim.category) if claim.contrast else frozenset()


def claim_pairing(evidence: Evidence, claim: ClaimDefinition, metric, comparison: str = AS_WRITTEN) -> Pairing | None:
    """The units a claim's test uses: its category's tasks, or for a contrast every task."""
    return pairing(evidence, dataclasses.replace(claim, category="") if claim.contrast else claim, metric, comparison)


def _raw_test(claim: ClaimDefinition, protocol: Protocol, evidence: Evidence, p: Pairing, metric) -> LogRatioTest:
    if claim.contrast:
        return IntervalRule(claim, protocol, contrast_group(claim, evidence.categories)).test(p, metric)
    return run_test(p, metric, protocol)


def _family_tests(protocol: Protocol, evidence: Evidence) -> tuple[dict, dict]:
    """Every test of the family: key -> (claim definition, pairing or None, test or None)."""
    pairings, tests = {}, {}
    for key in protocol.family():
        claim = next(c for c in protocol.claims if c.test_key(key[-1]) == key)
        p = claim_pairing(evidence, claim, claim.primary, key[-1])
        pairings[key] = (claim, p)
        tests[key] = None if p is None else _raw_test(claim, protocol, evidence, p, claim.primary)
    return pairings, tests


def _not_decidable_note(claim: ClaimDefinition, protocol: Protocol, result: LogRatioTest | None, step: int) -> tuple[str, int | None]:
    if protocol.decision == INTERVAL:
        return _not_decidable_note_v2(claim, protocol, result)
    alpha_step = protocol.alpha / step
    exact = max(claim.min_tasks, min_tasks_for(alpha_step))
    power = tasks_for_power(result.sd_log, claim.delta, alpha_step, protocol.power) if result and not result.reason else None
    text = (f"deciding it needs at least {exact} tasks with non-zero differences (the exact test at Holm's "
            f"alpha / {step} = {alpha_step:.2g}, and the protocol's minimum of {claim.min_tasks})")
    if power:
        text += f"; about {max(power, exact)} for {protocol.power:.0%} power at Δ = {claim.delta:g} with this spread"
    return text, max(power or 0, exact)


def _not_decidable_note_v2(claim: ClaimDefinition, protocol: Protocol, result: LogRatioTest | None) -> tuple[str, int | None]:
    """How many differing tasks would do: the interval's level needs 2 / 2^n <= 1 - confidence, and the
    exact test's power at Delta (simulated) with the observed spread."""
    confidence = protocol.decision_confidence
    exact = max(min_tasks_for(1 - confidence), claim.min_tasks, claim.min_nonzero)
    power = None
    if result is not None and not result.reason and not claim.contrast and result.sd_log > 0:
        power = tasks_for_power_exact(result.sd_log, claim.delta, 1 - confidence, protocol.power)
    text = (f"deciding it needs at least {exact} tasks whose two sides differ (the {confidence:.1%} interval, and the "
            f"protocol's minimum of {claim.min_tasks})")
    if power:
        text += (f"; about {max(power, exact)} for {protocol.power:.0%} power at Δ = {claim.delta:g} with this spread "
                 "(simulated exact test)")
    return text, max(power or 0, exact)


def evaluate_claims(
    *, records: Sequence[StaticRecord], tasks: Sequence[TaskSummary], names: Mapping[str, str],
    run_records: Sequence[Measurement] = (), environments: Sequence[RunEnvironment] = (),
    debugging: Sequence[PairOutcome] = (), protocol: Protocol | None = None, with_robustness: bool = True,
    families: Mapping[str, str] | None = None, debugging_tasks: set[str] | None = None,
) -> list[Claim]:
    """Every claim of the protocol, decided on this evidence (static, run and debugging).
    `debugging`: the planted-bug pairs (debug_summary.PairOutcome), of `debugging_tasks` only when given.
    `families`: task -> family (similar tasks), for protocol 2's leave-one-family-out and family bootstrap."""
    protocol = protocol or load_protocol()
    excluded = {t.task_id for t in tasks if set(t.tags) & set(protocol.exclude_tags)}
    debugging = [p for p in debugging if p.task not in excluded and (debugging_tasks is None or p.task in debugging_tasks)]
    if excluded:   # described elsewhere (the assertions), never a claim's unit
        records = [r for r in records if r.task_id not in excluded]
        run_records = [r for r in run_records if r.task not in excluded]
        tasks = [t for t in tasks if t.task_id not in excluded]
    categories = {t.task_id: t.category for t in tasks if t.category}
    # Per-task shares only for a claim decided by log ratios (claim 8 under protocol 1, which froze that rule)
    shares = per_task_shares(debugging) if any(c.evidence == "debugging" and c.rule != DISCORDANT_PAIRS
                                               for c in protocol.claims) else []
    evidence = Evidence(tuple(records), tuple(run_records), tuple(shares), categories, protocol.loop_first)
    family = protocol.family()
    pairings, raw = _family_tests(protocol, evidence)
    pvalues = tuple(1.0 if t is None or t.reason else t.pvalue for t in raw.values())
    min_pvalues = tuple(1.0 if t is None or t.reason else t.min_attainable_p for t in raw.values())
    adjusted = _holm(raw, family)

    claims = []
    for claim in protocol.claims:
        if claim.rule == DISCORDANT_PAIRS:   # claim 8: the planted-bug pairs (debugging_claim.py), one rule
            pair_evidence = debugging_evidence(debugging, claim) if debugging else None
            claims.append(decide_debugging_claim(claim, protocol, pair_evidence, names))
            continue
        claims.append(_evaluate_claim(claim, protocol, evidence, family, pairings, adjusted, pvalues, min_pvalues,
                                      names, environments, with_robustness, families))
    return claims


def only_tasks(evidence: PairedEvidence, tasks: set[str]) -> PairedEvidence:
    """The per-task evidence of `tasks` only."""
    keep = [i for i, t in enumerate(evidence.tasks) if t in tasks]
    return dataclasses.replace(evidence, tasks=tuple(evidence.tasks[i] for i in keep),
                               a_values=tuple(evidence.a_values[i] for i in keep),
                               b_values=tuple(evidence.b_values[i] for i in keep))


def _holm(raw: Mapping, family: Sequence) -> dict:
    """Holm over the whole family; a test that did not run (no evidence, no pairs) counts as p = 1,
    so the family, and each test's correction, is fixed by the protocol, not by what was measured."""
    pvalues = [1.0 if raw[k] is None or raw[k].reason else raw[k].pvalue for k in family]
    mins = [1.0 if raw[k] is None or raw[k].reason else raw[k].min_attainable_p for k in family]
    ps, ms = holm(pvalues), holm(mins)
    return {k: None if raw[k] is None else dataclasses.replace(raw[k], pvalue_holm=p, min_attainable_p_holm=m)
            for k, p, m in zip(family, ps, ms)}


def _decide(claim: ClaimDefinition, protocol: Protocol, result: LogRatioTest | None, key_result: LogRatioTest | None,
            absent: str = "") -> tuple[str, str | None, str]:
    return decide(result, delta=claim.delta, alpha=protocol.alpha, min_tasks=claim.min_tasks, better=claim.primary.better,
                  a_key=claim.a, b_key=claim.b, key_secondary=key_result,
                  key_secondary_better=claim.key_secondary.better if claim.key_secondary else "lower",
                  not_measured_reason=absent, units=UNITS.get(claim.evidence, "tasks"))


def _key_result(evidence: Evidence, claim: ClaimDefinition, protocol: Protocol, comparison: str = AS_WRITTEN):
    """The key secondary's pairing and test (raw p: `mixed` is a warning), or (None, None)."""
    if claim.key_secondary is None:
        return None, None
    p = claim_pairing(evidence, claim, claim.key_secondary, comparison)
    return p, (_raw_test(claim, protocol, evidence, p, claim.key_secondary) if p is not None and p.units else None)


def _rule(claim: ClaimDefinition, protocol: Protocol, evidence: Evidence, pvalues, min_pvalues, index: int) -> Rule:
    return rule_for(claim, protocol, context=HolmContext(pvalues, min_pvalues, index),
                    group=contrast_group(claim, evidence.categories))


def _outcome(rule: Rule, claim: ClaimDefinition, protocol: Protocol, result: LogRatioTest | None, p: Pairing | None,
             key_result: LogRatioTest | None, absent: str = "") -> ClaimOutcome:
    """The claim's outcome under its protocol's rule; `result` Holm-adjusted (protocol 1 decides on it)."""
    if protocol.decision != INTERVAL:
        return claim_outcome(claim.kind, claim.favours, *_decide(claim, protocol, result, key_result, absent))
    if result is None or p is None:
        return ClaimOutcome(NOT_MEASURED, None, NOT_MEASURED, absent or "no evidence of this kind in the results")
    return rule.outcome(result, p, key_result)


def _like_for_like(claim, protocol, evidence, family, pairings, adjusted, pvalues, min_pvalues, names):
    """(test, outcome, comparison words) of the claim like for like, or (None, None, "")."""
    key = claim.test_key(LIKE_FOR_LIKE)
    _, lpairing = pairings[key]
    result = adjusted[key]
    if result is None or lpairing is None or not lpairing.units:
        return None, None, ""
    index = family.index(key)
    rule = _rule(claim, protocol, evidence, pvalues, min_pvalues, index)
    test = _claim_test(claim.primary, claim, LIKE_FOR_LIKE, lpairing, result, protocol, _holm_step(pvalues, index), rule)
    _, key_result = _key_result(evidence, claim, protocol, LIKE_FOR_LIKE)
    outcome = _outcome(rule, claim, protocol, result, lpairing, key_result)
    return test, outcome, comparison_label(test, evidence.static_records, names)


def _secondaries(claim, protocol, evidence) -> list[ClaimTest]:
    """Every secondary metric as written; exploratory, Holm within the claim's secondaries."""
    found = {}
    for metric in claim.secondary:
        p = claim_pairing(evidence, claim, metric)
        if p is not None and p.units:
            found[metric.name] = (metric, p, _raw_test(claim, protocol, evidence, p, metric))
    adjusted = holm_family({k: v[2] for k, v in found.items()}) if found else {}
    return [_claim_test(m, claim, AS_WRITTEN, p, adjusted[k], protocol) for k, (m, p, _) in found.items()]


def _mde(claim: ClaimDefinition, protocol: Protocol, result: LogRatioTest | None, step: int) -> float | None:
    """The minimal detectable ratio: protocol 2 by simulation of the exact test at the decisive level,
    protocol 1 by the normal approximation at the Holm step (optimistic at small n)."""
    if result is None or result.reason:
        return None
    if protocol.decision == INTERVAL:
        if claim.contrast:
            return None   # a two-sample shift: the one-sample simulation does not apply
        return mde_ratio_exact(result.sd_log, result.n, 1 - protocol.decision_confidence, protocol.power)
    return mde_ratio(result.sd_log, result.n, protocol.alpha / step, protocol.power)


def _decided_by(claim: ClaimDefinition, protocol: Protocol, family: Sequence) -> str:
    if protocol.decision != INTERVAL:
        return (f"primary metric {claim.primary.label} ({claim.primary.name}); {claim.kind} rule at Δ = {claim.delta:g} "
                f"with the 90% interval for equivalence; at least {claim.min_tasks} tasks; Holm across the "
                f"{len(family)} primary tests of protocol {protocol.version}")
    scope = (f"the {claim.category} tasks' log ratios against the other tasks' (a contrast: Hodges-Lehmann shift, "
             "Mann-Whitney interval)" if claim.contrast else "the per-task log ratios (Walsh-average interval)")
    rule = ("supported when the interval lies beyond Δ in the claimed side's favour, contradicted when it excludes an "
            "advantage of Δ for it" if claim.kind == "direction" else
            "supported when the interval lies inside (1/Δ, Δ), contradicted when wholly outside it on one side")
    return (f"primary metric {claim.primary.label} ({claim.primary.name}) on {scope}; {claim.kind} rule at "
            f"Δ = {claim.delta:g}: {rule}; the {protocol.decision_confidence:.1%} interval (Bonferroni over the "
            f"{len(family)} tests of protocol {protocol.version}); at least {claim.min_tasks} tasks, "
            f"{claim.min_nonzero} of them differing")


def _evaluate_claim(claim, protocol, evidence, family, pairings, adjusted, pvalues, min_pvalues, names,
                    environments, with_robustness, families=None) -> Claim:
    key = claim.test_key(AS_WRITTEN)
    index = family.index(key)
    step = _holm_step(pvalues, index)
    _, primary_pairing = pairings[key]
    result = adjusted[key]
    rule = _rule(claim, protocol, evidence, pvalues, min_pvalues, index)
    key_pairing, key_result = _key_result(evidence, claim, protocol)
    absent = {"run": "no execution results (a static-only report)", "compiled": "no timings of compiled variants",
              "debugging": "no debugging evidence yet (planted bugs; see docs/claims.md)"}.get(claim.evidence, "")
    if primary_pairing is not None and not primary_pairing.units:
        result = None
        absent = f"no task has both {_name(names, claim.a)} and {_name(names, claim.b)}" + (
            f" in the {claim.category} category" if claim.category else "")
    outcome = _outcome(rule, claim, protocol, result, primary_pairing, key_result, absent)
    tasks_needed = None
    if outcome.outcome == NOT_DECIDABLE:
        note, tasks_needed = _not_decidable_note(claim, protocol, result, step)
        outcome = dataclasses.replace(outcome, reason=f"{outcome.reason}; {note}")
    measured = outcome.outcome != NOT_MEASURED
    primary = _claim_test(claim.primary, claim, AS_WRITTEN, primary_pairing, result, protocol, step, rule) if result else None
    lfl, lfl_outcome, lfl_label = (_like_for_like(claim, protocol, evidence, family, pairings, adjusted, pvalues,
                                                  min_pvalues, names)
                                   if claim.like_for_like else (None, None, ""))
    robust = None
    if with_robustness and result is not None and outcome.outcome not in (NOT_MEASURED, NOT_DECIDABLE):
        robust = robustness(claim, protocol, outcome, primary_pairing, key_pairing, rule, evidence.categories,
                            lambda m: claim_pairing(evidence, claim, m), families if protocol.decision == INTERVAL else None)
    made = Claim(
        number=claim.number, statement=claim.statement, decided_by=_decided_by(claim, protocol, family),
        verdict=outcome.verdict,
        evidence=tuple(_evidence_lines(claim, primary, lfl, lfl_outcome, key_result, names, environments, len(family))),
        key=claim.key, construct=claim.construct, protocol_version=protocol.version, outcome=outcome,
        comparison=comparison_label(primary, evidence.static_records, names),
        comparison_short=comparison_short(primary, evidence.static_records, names), primary_metric=claim.primary.name,
        primary=primary, primary_why=claim.primary_why, like_for_like=lfl, like_for_like_outcome=lfl_outcome,
        like_for_like_comparison=lfl_label, secondaries=tuple(_secondaries(claim, protocol, evidence) if measured else ()),
        key_secondary=claim.key_secondary.name if claim.key_secondary else "", delta=claim.delta,
        delta_why=claim.delta_why, mde=_mde(claim, protocol, result, step), min_tasks=claim.min_tasks,
        tasks_needed=tasks_needed, robustness=robust,
    )
    return with_marks(made)


def with_marks(claim: Claim) -> Claim:
    marks = []
    if claim.outcome is not None and claim.outcome.outcome == NOT_DECIDABLE:
        marks.append("not decidable")
    if claim.robustness is not None and claim.robustness.fragile:
        marks.append("fragile")
    if claim.contested:
        marks.append("contested")
    return dataclasses.replace(claim, marks=tuple(marks))


def _evidence_lines(claim, primary, lfl, lfl_outcome, key_result, names, environments, family_size) -> list[str]:
    lines = []
    if primary is not None:
        lines.append("Primary: " + test_sentence(primary, names, family_size) + ".")
    if lfl is not None:
        lines.append("Like for like: " + test_sentence(lfl, names, family_size)
                     + f" → {outcome_words(lfl_outcome, names)}.")
    if primary is not None and key_result is not None and not key_result.reason and claim.key_secondary is not None:
        lines.append(f"Key secondary {claim.key_secondary.label} ({claim.key_secondary.name}): ratio "
                     f"{fmt_num(key_result.ratio)}, raw p = {fmt_p(key_result.pvalue)} (mixed if significant against the primary).")
    if claim.evidence == "run":
        for env in environments:
            s = env.import_seconds
            if claim.a in s and claim.b in s:
                lines.append(f"Import time on {env.machine} (descriptive, one value per machine): {_name(names, claim.a)} "
                             f"{s[claim.a]:.2f} s, {_name(names, claim.b)} {s[claim.b]:.2f} s.")
    return lines


def category_rows(records: Sequence[StaticRecord], tasks: Sequence[TaskSummary], protocol: Protocol | None = None) -> list[CategoryRow]:
    """Where each framework wins: per category, the primary metric of claim CATEGORY_CLAIM, a against b
    as written (ratio with its exact interval), and like for like; descriptive below the protocol's minimum."""
    return grouped_rows(records, {t.task_id: t.category for t in tasks if t.category}, protocol)


def grouped_rows(records: Sequence[StaticRecord], groups: Mapping[str, str], protocol: Protocol | None = None) -> list[CategoryRow]:
    """category_rows for any grouping of tasks (task id -> group label, e.g. a category or a tag), one
    row per label in sorted order."""
    protocol = protocol or load_protocol()
    claim = protocol.claim(CATEGORY_CLAIM)
    categories = dict(groups)
    evidence = Evidence(tuple(records), categories=categories)
    rows = []
    for category in sorted(set(categories.values())):
        scoped = dataclasses.replace(claim, category=category)
        p = pairing(evidence, scoped, claim.primary)
        count = sum(1 for c in categories.values() if c == category)
        if p is None or not p.units:
            rows.append(CategoryRow(category, count, None, True))
            continue
        test = _claim_test(claim.primary, claim, AS_WRITTEN, p, run_test(p, claim.primary, protocol), protocol)
        lp = pairing(evidence, scoped, claim.primary, LIKE_FOR_LIKE)
        lratio = run_test(lp, claim.primary, protocol).ratio if lp is not None and lp.units else None
        interval = None
        if protocol.category_confidence is not None and not test.result.reason:
            d = log_ratios(p.a_values, p.b_values, claim.primary.log_offset)
            found = interpolated_walsh_interval(d, protocol.category_confidence)
            interval = (float(np.exp(found[0])), float(np.exp(found[1]))) if found else None
        rows.append(CategoryRow(category, count, test, len(p.units) < claim.min_tasks, lratio, interval,
                                protocol.category_confidence))
    return rows


def with_replication(claims: Sequence[Claim], by_corpus: Mapping[str, Sequence[Claim]]) -> list[Claim]:
    """Each claim with its outcome per corpus side by side (the task corpus first, as "tasks") and
    the contested mark where corpora disagree about the direction (outcomes.contested)."""
    out = []
    for claim in claims:
        rows = [_replication(MAIN_CORPUS, claim)]
        for corpus, others in by_corpus.items():
            match = next((c for c in others if c.number == claim.number), None)
            if match is not None and match.outcome is not None and match.outcome.outcome != NOT_MEASURED:
                rows.append(_replication(corpus, match))
        outcomes = {r.corpus: r.outcome for r in rows if r.outcome is not None}
        out.append(with_marks(dataclasses.replace(claim, replication=tuple(rows) if len(rows) > 1 else (),
                                                  contested=contested(outcomes))))
    return out


def _replication(corpus: str, claim: Claim) -> CorpusOutcome:
    r = claim.primary.result if claim.primary else None
    return CorpusOutcome(corpus, claim.outcome or ClaimOutcome(NOT_MEASURED, None, NOT_MEASURED),
                       r.n if r else 0, r.ratio if r else None, r.ci if r else None, r.pvalue_holm if r else None)
