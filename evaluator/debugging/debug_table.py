"""`easeval debug`'s output: text tables and a JSON document, as lists of lines and plain data (only the
command prints them)."""

from __future__ import annotations

from typing import Any

from evaluator.debugging.claim_evidence import claim8_evidence
from evaluator.debugging.bug_outcomes import DECIDED, OUTCOMES
from evaluator.debugging.debug_plan import DebugPlan
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


def site_lines(plan: DebugPlan) -> list[str]:
    """Every site with its id, role, anchor and pairing: what `mutants.toml` refers to."""
    paired = {}
    for p in plan.pairs:
        paired[(p.a.task, p.a.impl_key, p.a.site.site_id)] = f"paired ({p.rule}) with {p.b.impl_key}:{p.b.site.site_id}"
        paired[(p.b.task, p.b.impl_key, p.b.site.site_id)] = f"paired ({p.rule}) with {p.a.impl_key}:{p.a.site.site_id}"
    for u in plan.unpaired:
        paired[(u.mutant.task, u.mutant.impl_key, u.mutant.site.site_id)] = f"unpaired: {u.reason}" + (f" ({u.note})" if u.note else "")
    rows = []
    for m in plan.all_mutants:
        rows.append([m.task, m.impl_key, m.site.site_id, m.site.role, m.site.anchor or "-",
                     f"{m.site.before[:40]} -> {m.site.after[:40]}".replace("\n", " "),
                     paired.get((m.task, m.impl_key, m.site.site_id), "-")])
    return format_table(rows, ["task", "implementation", "site", "role", "anchor", "bug", "pairing"])


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
        "unpaired": [{"task": u.mutant.task, "impl": u.mutant.impl_key, "site": u.mutant.site.site_id, "reason": u.reason,
                      "note": u.note} for u in run.plan.unpaired],
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
