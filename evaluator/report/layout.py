"""What the report says and in which order, as data: sections made of a few kinds of block.

`report_sections` takes every decision about content (order, headings, which tables, what a
static-only report leaves out); the Markdown and HTML renderers only turn blocks into markup, so the
two formats cannot drift apart. Tables come from `tables.py`, so the numbers are the same in both.
"""

from __future__ import annotations

from evaluator.report import tables
from evaluator.claims.report_model import Report
from evaluator.claims.claim_outcomes import outcome_words
from evaluator.report.blocks import (
    Block, Bullets, Code, Forest, ForestRow, Link, Paragraph, Plots, Section, Subsection, TableBlock,
)
from evaluator.report.cross_backend_section import cross_backend_section
from evaluator.report.debugging_section import debugging_section
from evaluator.report.replication_section import replication_section
from evaluator.report.tables import Table
from evaluator.claims.number_words import fmt_num


def _tables(*made: Table) -> list[Block]:
    return [TableBlock(t) for t in made]


CLAIMS_TITLE, CATEGORIES_TITLE = "Claims", "Where each framework wins"


def _claim_rows(report: Report) -> tuple[ForestRow, ...]:
    rows = []
    for c in report.claims:
        t = c.primary
        label = f"{c.number}. {c.key}" + (f" ({t.metric.name}, {tables.name(report, t.a_key)}/{tables.name(report, t.b_key)})"
                                          if t is not None else f" ({c.primary_metric})")
        note = c.verdict + (f" [{', '.join(c.marks)}]" if c.marks else "")
        if t is None or t.result.reason:
            rows.append(ForestRow(label, None, None, None, c.delta, note))
        else:
            rows.append(ForestRow(label, t.result.ratio, t.ci_holm or t.result.ci, t.result.ci_equivalence, c.delta, note))
    return tuple(rows)


def _category_rows(report: Report) -> tuple[ForestRow, ...]:
    delta = next((c.delta for c in report.claims if c.primary is not None), 1.25)
    rows = []
    for row in report.categories:
        t = row.test
        n = len(t.units) if t is not None else 0
        note = f"{n} task{'s' if n != 1 else ''}" + (", descriptive" if row.descriptive else "")
        ratio, ci = (t.result.ratio, t.result.ci) if t is not None and not t.result.reason else (None, None)
        if row.confidence is not None:   # protocol 2: every row at one stated confidence
            ci = row.interval
        rows.append(ForestRow(row.category, ratio, ci, None, delta, note))
    return tuple(rows)


def categories_title(report: Report) -> str:
    return CATEGORIES_TITLE if report.protocol_version in ("", "1") else "Code size by category (descriptive)"


def _rules_words(report: Report) -> str:
    if report.protocol_version in ("", "1"):
        return (": outcomes are meaningful difference, trivial difference (significant but inside ±Δ), "
                "equivalent within Δ, inconclusive, mixed (the primary and its key secondary significant in "
                "opposite directions) and not decidable; supported, contradicted and undecided are read off "
                "them. Secondary metrics are exploratory.")
    return (": a direction claim is supported when its interval at the family-wise level lies beyond Δ in the claimed "
            "side's favour, contradicted when it excludes an advantage of Δ for that side, undecided otherwise; the "
            "equivalence claim is supported inside (1/Δ, Δ) and contradicted wholly outside it. The outcome beside each "
            "verdict describes the same interval (meaningful, trivial, of undetermined size, equivalent, inconclusive; "
            "mixed and not decidable make it undecided). Secondary metrics are exploratory.")


def _pending(report: Report) -> tuple[Block, ...]:
    """The banner of a report written before its last stage: what is still being measured."""
    if not report.pending:
        return ()
    stages = [s.replace(" (interrupted)", "") for s in report.pending]
    if any("(interrupted)" in s for s in report.pending):
        text = (f"Partial report: the run was interrupted during {stages[0]}"
                + (f"; not measured: {', '.join(stages[1:])}" if stages[1:] else "")
                + ". Every finished measurement is kept: run the same command again to go on from there. ")
    else:
        text = f"Partial report: still being measured: {', '.join(stages)}. This report is rewritten after each stage. "
    return (Paragraph((text + "Claims whose evidence comes from those stages are marked pending; the others are final.",)),)


def _summary(report: Report) -> Section:
    v2 = report.protocol_version not in ("", "1")
    rule = ("one primary metric, the interval of its per-task log ratios at the family-wise level (Bonferroni over "
            "the protocol's tests) read against the smallest effect of interest Δ. " if v2 else
            "one primary metric, a Wilcoxon signed-rank test on per-task log ratios "
            "with Holm across the claims, and the outcome against the smallest effect of interest Δ. ")
    blocks: list[Block] = [
        Paragraph((f"Each claim of the essay, decided under claim protocol {report.protocol_version} (",
                   Code("docs/claims.md"), "): " + rule,
                   Link("Every claim in detail", "claims", CLAIMS_TITLE), "; ",
                   Link("code size per category" if v2 else "where each framework wins, per category", "categories",
                        categories_title(report)), ".")),
        TableBlock(tables.glance_table(report), verdict_column=2),
        Forest("glance", _claim_rows(report),
               "Each claim's primary ratio, first/second on a log scale (1 = no difference): the Hodges-Lehmann "
               "estimate (o, a diamond in HTML), the interval at the " + ("family-wise level that decides the verdict"
                                                                          if v2 else "test's Holm level") +
               " (thin, -), the 90% interval (thick, =) and the band from 1/Δ to Δ (edges :, shaded in HTML); < and > "
               "mark an interval that goes on past the axis."),
    ]
    others = report.headline[len(report.claims):]   # the headline opens with one line per claim
    if others or not report.claims:
        blocks.append(Bullets(tuple(others) or ("No paired comparison could be made.",)))
    return Section("summary", "Summary", tuple(blocks))


def _claim_blocks(report: Report, c) -> tuple[Block, ...]:
    o = c.outcome
    blocks: list[Block] = [
        Paragraph((f"Construct: {c.construct} Primary metric: {c.primary_metric}. {c.primary_why} "
                   f"Δ = {c.delta:g}: {c.delta_why}",)),
        Paragraph((f"Decided by: {c.decided_by}.",)),
    ]
    v2 = report.protocol_version not in ("", "1")
    if o is not None and v2:
        text = f"Verdict: {c.verdict}" + (f" ({o.reason})." if o.reason else ".")
        text += f" Outcome (descriptive): {outcome_words(o, report.display_names)}."
    elif o is not None:
        text = f"Outcome: {outcome_words(o, report.display_names)}, so the claim is {c.verdict}"
        text += f" ({o.reason})." if o.reason else "."
    if o is not None:
        if c.comparison:
            text += f" Comparison: {c.comparison}."
        if c.like_for_like_outcome is not None:
            text += (f" Like for like ({c.like_for_like_comparison}): "
                     f"{outcome_words(c.like_for_like_outcome, report.display_names)} ({c.like_for_like_outcome.verdict}).")
        if c.mde is not None:
            level = "the family-wise level (simulated exact test)" if v2 else "Holm level"
            text += f" Minimal detectable effect at this n and {level}: ratio {fmt_num(c.mde)} (or 1/{fmt_num(c.mde)})."
        blocks.append(Paragraph((text,)))
    if c.primary is not None:
        blocks.append(TableBlock(tables.claim_tests_table(report, c)))
    if c.secondaries:
        blocks.append(TableBlock(tables.secondaries_table(report, c)))
    if c.robustness is not None:
        blocks.append(TableBlock(tables.robustness_table(report, c)))
    if c.replication:
        blocks.append(TableBlock(tables.replication_table(report, c)))
    if c.evidence:
        blocks.append(Bullets(c.evidence))
    return tuple(blocks)


def report_sections(report: Report) -> list[Section]:
    """The report, in order: every section with its blocks, for every renderer."""
    names = ", ".join(tables.name(report, f) for f in report.frameworks)
    out = [
        Section("title", f"easeval report: {names}", (Paragraph((
            f"Generated {report.generated_at} by easeval {report.easeval_version} from ", Code(report.corpus_root),
            f" (revision {report.corpus_revision}), {len(report.tasks)} tasks.")), *_pending(report)), level=1),
        _summary(report),
        Section("claims", CLAIMS_TITLE, (
            Paragraph((f"The rules are claim protocol {report.protocol_version}'s, fixed in ", Code("docs/claims.md"),
                       _rules_words(report),)),
            *_tables(*(t for t in (tables.task_set_table(report),) if t is not None)),
            *(Subsection(f"{c.number}. {c.statement}: {c.verdict}", _claim_blocks(report, c)) for c in report.claims),
            *((Subsection("Assertions no claim decides", (TableBlock(tables.assertions_table(report)),
                                                           *_tables(*tables.documentation_tables(report)))),)
              if report.assertions else ()))),
        Section("categories", categories_title(report), (
            Paragraph(("Users choose for a workload, not for an average: the main size metric per task category, "
                       "as written and like for like. Categories hold too few tasks to test; their ratios and "
                       "intervals describe, they do not decide.",)),
            TableBlock(tables.category_table(report)),
            Forest("categories", _category_rows(report),
                   "Per category, the first framework's size over the second's on a log scale: the estimate (o, a "
                   "diamond in HTML), " + ("the interval at one stated confidence" if report.protocol_version not in ("", "1")
                                           else "the exact interval at its achieved confidence") +
                   " (-) and the band of claim 1's Δ (edges :, shaded in HTML)."))),
    ]

    static: list[Block] = [Plots("forest")]
    for pair in report.pairs:  # every pair of primary frameworks, in the adapters' order
        A, B = tables.name(report, pair.a_key), tables.name(report, pair.b_key)
        if not pair.decidable:
            static.append(Paragraph((f"{A} vs {B}: {pair.note}.",)))
        mine = [c for c in report.static_comparisons if (c.a_key, c.b_key) == (pair.a_key, pair.b_key)]
        static.append(TableBlock(tables.comparison_table(
            report, f"{A} vs {B}: primary implementations, paired by task ({pair.tasks} tasks)", mine)))
    static.append(Plots("paired", "Paired values per task (one point per task; dashed: equal)"))
    if report.variant_comparisons:
        static.append(TableBlock(tables.comparison_table(
            report, "Variants against their primary (the forest plot above shows only those with enough tasks to decide)",
            report.variant_comparisons)))
    static += _tables(*(tables.per_category_table(report, p.a_key, p.b_key) for p in report.pairs),
                      tables.per_task_table(report), tables.glue_table(report),
                      *(t for t in (tables.template_reuse_table(report),) if t is not None))
    out.append(Section("static", "Static metrics", tuple(static)))
    out.append(Section("apis", "APIs each side needed", tuple(_tables(*tables.api_tables(report), tables.api_per_task_table(report)))))
    if report.replication is not None:  # --corpus NAME=DIR: external corpora side by side (claims/replication.py)
        out.append(replication_section(report))

    if report.static_only:
        out.append(Section("execution", "Execution", (
            Paragraph(("Not run: the report was made with ", Code("--static-only"), " or from a static-only corpus.")),)))
    else:
        out.append(Section("correctness", "Correctness and failures",
                           tuple(_tables(tables.failures_table(report), tables.correctness_table(report)))))
        out.append(Section("speed", "Speed and memory", (
            Paragraph((f"Results from {len(report.environments)} result file(s); each machine and device is reported on its own, never pooled.",)),
            Plots("timing"),
            *_tables(*tables.speed_tables(report), *tables.size_change_tables(report), tables.compiled_table(report),
                     tables.latency_memory_table(report)))))

    if (keras := cross_backend_section(report)) is not None:  # Keras across backends: descriptive, after speed
        out.append(keras)
    out.append(debugging_section(report))

    environment = [tables.environment_table(report)]
    if not report.static_only:
        environment.append(tables.code_hash_table(report))
    out.append(Section("environment", "Environment", tuple(_tables(*environment))))
    out.append(Section("reproduce", "Reproduce", (Code(report.command, "bash"),)))
    out.append(Section("threats", "Threats to validity", (Bullets(report.threats),)))
    if report.problems:
        out.append(Section("problems", "Problems met while making this report", (Bullets(report.problems),)))
    return out
