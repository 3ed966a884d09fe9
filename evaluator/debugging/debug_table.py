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
    evidence = claim8_evidence(summary.pairs, aids=aids)
    if not evidence.tasks:
        return ["claim 8: no task has a decided pair yet"]
    a, b = evidence.primary_pairs()
    return [f"claim 8 primary ({'with' if aids else 'without'} aids): mean per-task share loud and localised "
            f"{evidence.a_key} {sum(a) / len(a):.2f}, {evidence.b_key} {sum(b) / len(b):.2f} over {len(a)} tasks "
            f"({sum(t.pairs for t in evidence.tasks)} decided pairs, {evidence.undecided_pairs} left out)"]


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
                   "a": {"impl": p.a_key, "site": p.a_site, "outcome": p.a.outcome if p.a else None},
                   "b": {"impl": p.b_key, "site": p.b_site, "outcome": p.b.outcome if p.b else None},
                   "decided": p.decided} for p in summary.pairs],
        "unpaired": [{"task": u.mutant.task, "impl": u.mutant.impl_key, "site": u.mutant.site.site_id, "reason": u.reason,
                      "note": u.note} for u in run.plan.unpaired],
        "rows": [{k: v for k, v in vars(r).items()} | {"decided": r.decided} for r in summary.rows],
        "outcomes": list(OUTCOMES), "decided_outcomes": list(DECIDED),
        "run": {"wall_seconds": run.wall_seconds, "ran": run.ran, "cached": run.cached, "workers": run.workers,
                "debug_file": str(run.debug_file) if run.debug_file else None, "interrupted": run.interrupted,
                "problems": run.problems},
    }
