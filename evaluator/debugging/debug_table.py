"""`easeval debug`'s output: text tables and a JSON document, as lists of lines and plain data (only the
command prints them)."""

from __future__ import annotations

from typing import Any

from evaluator.debugging.claim_evidence import claim8_evidence
from evaluator.debugging.bug_outcomes import DECIDED, OUTCOMES
from evaluator.debugging.debug_plan import DebugPlan, coverage
from evaluator.debugging.operators import operator_weight
from evaluator.debugging.pairing import PRIMARY
from evaluator.debugging.mutant_runs import DebugRun
from evaluator.debugging.debug_summary import DebugSummary, OperatorRow
from evaluator.base.text_table import format_table


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _outcome_cells(row: OperatorRow) -> list[str]:
    return [str(row.outcomes.get(o, 0)) for o in OUTCOMES]


def summary_table(summary: DebugSummary, aids: bool = False) -> list[str]:
    """One row per operator and framework: mutants, outcomes, localisation, expressibility."""
    header = ["operator", "framework", "mutants", "paired", "no counterpart", "no site", *OUTCOMES,
              "loud+localised", "names shape/dtype/device", "median msg chars"]
    rows = []
    for row in summary.rows:
        if row.aids != aids:
            continue
        rows.append([row.operator, row.framework, str(row.mutants), str(row.paired), str(row.no_counterpart),
                     f"{row.no_site}/{row.implementations}", *_outcome_cells(row),
                     f"{row.localised} ({pct(row.localised, row.decided)})",
                     f"{row.names_shapes}/{row.names_dtypes}/{row.names_devices}",
                     "-" if row.median_message_chars is None else f"{row.median_message_chars:.0f}"])
    return format_table(rows, header)


def _pairings(plan: DebugPlan) -> dict[tuple[str, str, str], list[str]]:
    """Each mutant's pairing in every comparison it is part of, in words."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for p in plan.pairs:
        found.setdefault((p.a.task, p.a.impl_key, p.a.site.site_id), []).append(
            f"{p.comparison}: paired ({p.rule}) with {p.b.impl_key}:{p.b.site.site_id}")
        found.setdefault((p.b.task, p.b.impl_key, p.b.site.site_id), []).append(
            f"{p.comparison}: paired ({p.rule}) with {p.a.impl_key}:{p.a.site.site_id}")
    for u in plan.unpaired:
        found.setdefault((u.mutant.task, u.mutant.impl_key, u.mutant.site.site_id), []).append(
            f"{u.comparison}: unpaired: {u.reason}" + (f" ({u.note})" if u.note else ""))
    return found


def site_lines(plan: DebugPlan) -> list[str]:
    """Every site with its id, role, anchor, weight and pairing in each comparison: what `mutants.toml` refers to."""
    paired = _pairings(plan)
    rows = []
    for m in plan.all_mutants:
        rows.append([m.task, m.impl_key, m.site.site_id, m.site.role, m.site.anchor or "-",
                     f"{m.site.before[:40]} -> {m.site.after[:40]}".replace("\n", " "),
                     "; ".join(paired.get((m.task, m.impl_key, m.site.site_id), ["no comparison"]))])
    lines = format_table(rows, ["task", "implementation", "site", "role", "anchor", "bug", "pairing"])
    lines += [f"not mutated: {task}/{impl}: {why}" for task, impl, why in plan.not_mutated]
    return lines + [""] + coverage_lines(plan)


def coverage_lines(plan: DebugPlan) -> list[str]:
    """Pairing coverage in the primary comparison (claim 8) and in any comparison, per operator and framework."""
    lines = []
    for comparison in (PRIMARY, "any"):
        rows = [[r.operator, r.framework, str(r.mutants), str(r.paired), pct(r.paired, r.mutants),
                 ", ".join(f"{k} {v}" for k, v in sorted(r.unpaired.items())) or "-"] for r in coverage(plan, comparison)]
        lines += [f"pairing coverage, {'the primary comparison (claim 8)' if comparison == PRIMARY else 'any comparison'}:"]
        lines += format_table(rows, ["operator", "framework", "mutants", "paired", "share", "unpaired (reason)"]) + [""]
    return lines


def list_document(plan: DebugPlan) -> dict[str, Any]:
    """`easeval debug --list --format json`: every mutant with its weight and pairings, every pair with its
    comparison, every unpaired mutant with its reason, and the coverage tables."""
    return {
        "mutants": [{"task": m.task, "impl": m.impl_key, "framework": m.framework, "site": m.site.site_id,
                     "operator": m.site.operator, "role": m.site.role, "anchor": m.site.anchor, "line": m.site.line,
                     "end_line": m.site.end_line, "before": m.site.before, "after": m.site.after,
                     "inserted_names": list(m.inserted_names), "weight": operator_weight(m.site.operator)}
                    for m in plan.all_mutants],
        "comparisons": {task: [{"name": c.name, "a": c.a, "b": c.b} for c in cs] for task, cs in plan.comparisons.items()},
        "pairs": [{"task": p.task, "comparison": p.comparison, "operator": p.operator, "role": p.role, "rule": p.rule,
                   "note": p.note, "weight": p.weight, "a": {"impl": p.a.impl_key, "site": p.a.site.site_id},
                   "b": {"impl": p.b.impl_key, "site": p.b.site.site_id}} for p in plan.pairs],
        "unpaired": [{"task": u.mutant.task, "comparison": u.comparison, "impl": u.mutant.impl_key, "other": u.other,
                      "site": u.mutant.site.site_id, "operator": u.mutant.site.operator, "role": u.mutant.site.role,
                      "reason": u.reason, "note": u.note, "weight": u.weight} for u in plan.unpaired],
        "not_mutated": [{"task": t, "impl": i, "reason": why} for t, i, why in plan.not_mutated],
        "coverage": {c: [{"operator": r.operator, "framework": r.framework, "mutants": r.mutants, "paired": r.paired,
                          "unpaired": r.unpaired} for r in coverage(plan, c)] for c in (PRIMARY, "any")},
        "problems": plan.problems,
    }


def claim_lines(summary: DebugSummary, aids: bool = False) -> list[str]:
    """Claim 8's counts (descriptive: `easeval report` decides the claim under the protocol, on the
    confirmatory tasks and without the tasks it excludes)."""
    evidence = claim8_evidence(summary.pairs, aids=aids)
    if not evidence.pairs:
        return [f"claim 8 pairs ({'with' if aids else 'without'} aids): none in the primary yet "
                f"({evidence.absorbed} absorbed by a framework, {evidence.undecided_pairs} not decided on both sides)"]
    return [f"claim 8 pairs ({'with' if aids else 'without'} aids): {evidence.pairs} primary pairs in {len(evidence.tasks)} "
            f"tasks, {evidence.discordant} discordant ({evidence.a_key} only loud and localised {evidence.a_only}, "
            f"{evidence.b_key} only {evidence.b_only}), {evidence.concordant} concordant; left out: {evidence.absorbed} "
            f"absorbed by a framework (benign side), {evidence.undecided_pairs} not decided on both sides "
            "(the verdict: easeval report, under the claim protocol)"]


def footer_lines(run: DebugRun, summary: DebugSummary) -> list[str]:
    decided = sum(1 for p in summary.pairs if not p.aids and p.decided)
    lines = [f"{summary.planned} mutants in {len(run.plan.targets)} implementations; {len(run.plan.pairs)} pairs "
             f"({decided} decided on both sides), {sum(u.expressibility for u in run.plan.unpaired)} without a counterpart, "
             f"{sum(not u.expressibility for u in run.plan.unpaired)} unpaired otherwise",
             f"{run.ran} runs now, {run.cached} reused from earlier runs, in {run.wall_seconds:.1f} s "
             f"({run.workers} worker processes)" + (f"; records in {run.debug_file}" if run.debug_file else "")]
    lines += claim_lines(summary)
    if any(p.aids for p in summary.pairs):
        lines += claim_lines(summary, aids=True)
    lines += [f"problem: {p}" for p in run.problems]
    if run.interrupted:
        lines.append("interrupted: finished records are kept; rerun the same command to resume")
    return lines


def json_document(run: DebugRun, summary: DebugSummary) -> dict[str, Any]:
    """Everything the command measured, as JSON-ready data: records (messages whole), pairs, figures."""
    return {
        "records": [r.to_json(with_cached_from=True) for r in run.records],
        "pairs": [{"task": p.task, "operator": p.operator, "role": p.role, "rule": p.rule, "aids": p.aids,
                   "comparison": p.comparison, "weight": p.weight,
                   "a": _side(p.a_key, p.a_site, p.a), "b": _side(p.b_key, p.b_site, p.b),
                   "decided": p.decided, "absorbed": p.absorbed, "in_primary": p.in_primary,
                   "why_not_primary": _why_not_primary(p)} for p in summary.pairs],
        "claim8": _claim8_json(summary),
        "unpaired": [{"task": u.mutant.task, "comparison": u.comparison, "impl": u.mutant.impl_key, "other": u.other,
                      "site": u.mutant.site.site_id, "reason": u.reason, "note": u.note, "weight": u.weight}
                     for u in run.plan.unpaired],
        "rows": [{k: v for k, v in vars(r).items()} | {"decided": r.decided} for r in summary.rows],
        "outcomes": list(OUTCOMES), "decided_outcomes": list(DECIDED),
        "run": {"wall_seconds": run.wall_seconds, "ran": run.ran, "cached": run.cached, "workers": run.workers,
                "debug_file": str(run.debug_file) if run.debug_file else None, "interrupted": run.interrupted,
                "problems": run.problems},
    }


def _side(impl: str, site: str, record) -> dict[str, Any]:
    return {"impl": impl, "site": site, "outcome": record.outcome if record else None,
            "localisation": record.localisation if record else None, "localised": record.localised if record else None,
            "warnings": len(record.warnings) if record else 0, "new_warnings": record.new_warnings if record else 0}


def _why_not_primary(pair) -> str | None:
    if pair.in_primary:
        return None
    if pair.aids:
        return "run with the debugging aids"
    if not pair.decided:
        return "not decided on both sides"
    if pair.absorbed:
        return "absorbed by the framework (a benign side)"
    return f"comparison {pair.comparison!r}"


def _claim8_json(summary: DebugSummary) -> dict[str, Any]:
    e = claim8_evidence(summary.pairs)
    return {"pairs": e.pairs, "discordant": e.discordant, "a": e.a_key, "b": e.b_key, "a_only": e.a_only,
            "b_only": e.b_only, "concordant": e.concordant, "absorbed": e.absorbed, "undecided_pairs": e.undecided_pairs,
            "weighted_difference": e.weighted_difference,
            "strata": [vars(s) for s in e.strata],
            "note": "counts only: the verdict is the claim protocol's (easeval report)"}
