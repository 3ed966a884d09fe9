"""The report's Debugging section (claim 8's evidence), built from the debugging summary: outcome
distributions per operator and framework (with a stacked bar plot), localisation and message figures,
expressibility, the aids, claim 8's per-task comparison, and one example per operator side by side.

Claim 8's verdict is decided in claims/debugging_claim.py; this module only shows it.
"""

from __future__ import annotations

from evaluator.debugging.operators import OPERATORS
from evaluator.debugging.bug_outcomes import DECIDED, OUTCOMES
from evaluator.debugging.debug_summary import DebugSummary, OperatorRow
from evaluator.report.blocks import Bullets, Code, Paragraph, Plots, Section, Subsection, TableBlock
from evaluator.claims.report_model import Report
from evaluator.report.tables import Table
from evaluator.claims.number_words import fmt_num

OUTCOME_COLOURS = {"loud": "#2ca02c", "warned": "#98df8a", "clean-failed": "#aec7e8", "silent-caught": "#ff7f0e", "silent-undetected": "#d62728", "benign": "#9edae5",
                   "timeout": "#8c564b", "crashed": "#7f7f7f", "oom": "#bcbd22", "skipped": "#c7c7c7",
                   "undetermined": "#dbdb8d", "glue": "#e377c2", "invalid": "#17becf"}


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _name(report: Report, key: str) -> str:
    return report.display_names.get(key, key)


def _med(value: float | None) -> str:
    return "-" if value is None else fmt_num(value)


def outcome_table(report: Report, summary: DebugSummary, aids: bool = False) -> Table:
    outcomes = [o for o in OUTCOMES if any(r.outcomes.get(o) for r in summary.rows if r.aids == aids)]
    rows = tuple((r.operator, _name(report, r.framework), str(r.mutants), str(r.paired), str(r.no_counterpart),
                  f"{r.no_site}/{r.implementations}", *(f"{r.outcomes.get(o, 0)}" for o in outcomes))
                 for r in summary.rows if r.aids == aids)
    title = "Outcomes per operator and framework" + (", debugging aids on" if aids else "")
    return Table(title, ("operator", "framework", "mutants", "paired", "no counterpart", "no site (implementations)", *outcomes),
                 rows, note="Mutants count every planted bug, paired or not; 'no counterpart' mutants count toward "
                            "expressibility; 'glue' and 'invalid' say nothing about the framework (docs/debugging.md).")


def _loud_row(report: Report, r: OperatorRow) -> tuple[str, ...]:
    return (r.operator, _name(report, r.framework), str(r.loud), f"{r.localised} ({_pct(r.localised, r.loud)})",
            str(r.innermost), str(r.in_user_frames), str(r.message_cites), str(r.names_shapes), str(r.names_dtypes),
            str(r.names_devices), _med(r.median_frames_user), _med(r.median_frames_framework),
            _med(r.median_frames_generated), _med(r.median_message_chars), _med(r.median_steps_before_failure))


def loud_table(report: Report, summary: DebugSummary) -> Table:
    rows = tuple(_loud_row(report, r) for r in summary.rows if not r.aids and r.loud)
    return Table("Loud failures: where they point and what they say", (
        "operator", "framework", "loud", "localised", "innermost user frame", "in user frames", "message cites line",
        "names shapes", "names dtypes", "names devices", "median user frames", "median framework frames",
        "median generated frames", "median message chars", "median steps before failing"), rows,
        note="Frames are those shown by default: TensorFlow and Keras filter their own frames out of tracebacks, "
             "PyTorch does not; in graph mode the user's line is often only in the message text.")


def expressibility_table(report: Report, summary: DebugSummary) -> Table:
    rows = []
    for op in summary.rows:
        if op.aids or op.operator == "all" or not (op.no_counterpart or op.ambiguous or op.marked_unpaired):
            continue
        rows.append((op.operator, _name(report, op.framework), str(op.mutants), str(op.no_counterpart), str(op.ambiguous),
                     str(op.marked_unpaired)))
    return Table("Expressibility: mutants without a counterpart on the other side", (
        "operator", "framework", "mutants", "no counterpart", "ambiguous (unpaired)", "unpaired by mutants.toml"), tuple(rows),
        note="No counterpart: the other implementation, as written, has no site of this role (Keras hides the training "
             "loop, so many operators have no Keras site). Never part of the paired comparison.")


def aids_table(report: Report, summary: DebugSummary) -> Table | None:
    if not summary.aids:
        return None
    rows = []
    for change in summary.aids:
        moved = sorted(((a, b), n) for (a, b), n in change.transitions.items() if a != b)
        rows.append((_name(report, change.framework), str(change.compared),
                     f"{change.localised_without} -> {change.localised_with}",
                     "; ".join(f"{a} -> {b}: {n}" for (a, b), n in moved) or "no outcome changed"))
    return Table("What the debugging aids change (detect_anomaly; check_numerics and eager functions)",
                 ("framework", "mutants run both ways", "loud and localised: without -> with aids", "outcomes that changed"),
                 tuple(rows))



def claim_table(report: Report, claim) -> Table | None:
    """The pairs claim 8 was decided on, per operator (the protocol's evidence, shown; nothing decided here)."""
    evidence = claim.pair_evidence
    if evidence is None or not evidence.pairs:
        return None
    A, B = _name(report, evidence.a_key), _name(report, evidence.b_key)
    rows = tuple((s.operator, str(s.pairs), str(s.both), str(s.neither), str(s.a_only), str(s.b_only), fmt_num(s.weight))
                 for s in evidence.strata)
    rows += (("all", str(evidence.pairs), str(sum(s.both for s in evidence.strata)), str(sum(s.neither for s in evidence.strata)),
              str(evidence.a_only), str(evidence.b_only), "-"),)
    return Table("Claim 8: primary pairs per operator (loud and localised on each side)",
                 ("operator", "primary pairs", "both", "neither", f"{A} only", f"{B} only", "weight"), rows,
                 note=f"Only the discordant pairs ({A} only, {B} only) decide; pairs with a side that absorbed the bug "
                      f"(benign) are left out ({evidence.absorbed}).")


def _examples(report: Report, summary: DebugSummary) -> list:
    blocks = []
    titles = {op.id: op.title for op in OPERATORS}
    for example in summary.examples:
        inner = []
        for impl_key, original, mutated, outcome, message in example.sides:
            inner.append(Paragraph((f"{_name(report, impl_key)} ({example.task}): the bug, then what it printed ({outcome}):",)))
            diff = [f"- {line}" for line in original.strip("\n").splitlines()] + [f"+ {line}" for line in mutated.strip("\n").splitlines()]
            inner.append(Code("\n".join(diff), "diff"))
            inner.append(Code(message))
        blocks.append(Subsection(f"{example.operator}: {titles.get(example.operator, '')}", tuple(inner)))
    return blocks


def _not_run(summary: DebugSummary) -> list:
    """A paragraph on the planted bugs without a record (the main job's default scope runs claim 8's only)."""
    missing = summary.planned - summary.measured
    if missing <= 0:
        return []
    return [Paragraph((
        f"{missing} of the {summary.planned} planted bugs have no record here. The main job plants by default only "
        "the bugs of the implementations claim 8's primary comparison pairs (PyTorch eager, TensorFlow like for like: ",
        Code("--debug-scope claim"), "); the tables count what ran. ", Code("easeval report --debug-scope all"),
        " or ", Code("easeval debug"), " runs the others (Keras, the compiled variants, the as-written and eager-vs-"
        "compiled comparisons).")),]


def debugging_section(report: Report) -> Section:
    """The Debugging section; says how to measure when there are no debugging records."""
    summary = report.debugging
    if summary is None:
        return Section("debugging", "Debugging", (Paragraph((
            "Not measured: no debugging records for this corpus. Run ", Code("easeval debug"),
            " (add ", Code("--aids"), " for the debugging aids), then make the report again.")),))
    decided = sum(1 for p in summary.pairs if not p.aids and p.decided)
    blocks: list = [Paragraph((
        f"{summary.planned} planted bugs (mutants, one per site) across {len(OPERATORS)} operators; {summary.measured} run "
        f"without aids{f', {summary.aids_measured} with aids' if summary.aids_measured else ''}, on "
        f"{', '.join(summary.machines) or 'unknown machine'}. {decided} pairs are decided on both sides. Outcomes: "
        f"{', '.join(OUTCOMES)}; the comparison counts {', '.join(DECIDED)}. Definitions, pairing rules and biases: ",
        Code("docs/debugging.md"), ".")),
        *_not_run(summary),
        Plots("debugging", "Outcomes per operator and framework (mutants, stacked by outcome)"),
        TableBlock(outcome_table(report, summary)), TableBlock(loud_table(report, summary)),
        TableBlock(expressibility_table(report, summary))]
    aids = aids_table(report, summary)
    if aids is not None:
        blocks += [TableBlock(aids), TableBlock(outcome_table(report, summary, aids=True))]
    claim = next(c for c in report.claims if c.number == 8)   # the protocol's verdict: claim 8 has one rule
    table = claim_table(report, claim)
    blocks.append(Subsection(f"Claim 8: {claim.verdict}", (
        Paragraph((f"Decided by the claim protocol (version {claim.protocol_version}): {claim.decided_by}.",)),
        Bullets(claim.evidence or ((claim.outcome.reason if claim.outcome else "not measured"),)),
        *((TableBlock(table),) if table is not None else ()))))
    blocks.append(Subsection("One example per operator, side by side", tuple(_examples(report, summary))))
    if summary.problems:
        blocks.append(Bullets(tuple(f"problem: {p}" for p in summary.problems)))
    return Section("debugging", "Debugging", tuple(blocks))



def debugging_plots(report: Report) -> list[str]:
    """A stacked horizontal bar per operator and framework: how many mutants ended in each outcome."""
    from matplotlib.figure import Figure

    from evaluator.report.svg import svg_text

    summary = report.debugging
    if summary is None:
        return []
    rows = [r for r in summary.rows if not r.aids and r.operator != "all" and r.measured]
    if not rows:
        return []
    figure = Figure(figsize=(7.0, 0.24 * len(rows) + 1.4))
    ax = figure.add_subplot()
    labels = [f"{r.operator} ({_name(report, r.framework)})" for r in rows]
    left = [0.0] * len(rows)
    for outcome in OUTCOMES:
        counts = [r.outcomes.get(outcome, 0) for r in rows]
        if any(counts):
            ax.barh(range(len(rows)), counts, left=left, color=OUTCOME_COLOURS[outcome], label=outcome)
            left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("mutants")
    ax.legend(loc="lower right", fontsize=7)
    ax.set_title("Planted bugs: what happened, per operator and framework (no aids)", fontsize=9)
    return [svg_text(figure)]
