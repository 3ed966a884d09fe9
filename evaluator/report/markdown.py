"""report.md: the report for GitHub. Returns lines; only the pipeline writes them."""

from __future__ import annotations

from evaluator.report import sections
from evaluator.report.model import Report
from evaluator.report.sections import Table


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table_lines(table: Table, level: int = 3) -> list[str]:
    lines = [f"{'#' * level} {table.title}", ""]
    if not table.rows:
        return lines + ["(none)", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.header) + " |")
    lines.append("|" + "---|" * len(table.header))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", f"_{table.note}_"]
    return lines + [""]


def render_markdown(report: Report) -> list[str]:
    names = ", ".join(sections.name(report, f) for f in report.frameworks)
    lines = [f"# easeval report: {names}", "",
             f"Generated {report.generated_at} by easeval {report.easeval_version} from `{report.corpus_root}` "
             f"(revision {report.corpus_revision}), {len(report.tasks)} tasks.", "", "## Summary", ""]
    lines += [f"- {h}" for h in report.headline] or ["- No paired comparison could be made."]
    lines += ["", "## Claims", "", "| # | claim | verdict |", "|---|---|---|"]
    lines += [f"| {c.number} | {_cell(c.statement)} | **{c.verdict}** |" for c in report.claims]
    lines.append("")
    for c in report.claims:
        lines += [f"### {c.number}. {c.statement}: {c.verdict}", "", f"Decided by: {c.decided_by}.", ""]
        lines += [f"- {e}" for e in c.evidence] + [""]
    lines += ["## Static metrics", ""]
    lines += table_lines(sections.comparison_table(report, "Primary implementations, paired by task", report.static_comparisons))
    if report.variant_comparisons:
        lines += table_lines(sections.comparison_table(report, "Variants against their primary", report.variant_comparisons))
    lines += table_lines(sections.per_category_table(report))
    lines += table_lines(sections.per_task_table(report))
    lines += table_lines(sections.glue_table(report))
    lines += ["## APIs each side needed", ""]
    for table in sections.api_tables(report):
        lines += table_lines(table)
    lines += table_lines(sections.api_per_task_table(report))
    if report.static_only:
        lines += ["## Execution", "", "Not run: the report was made with `--static-only` or from a static-only corpus.", ""]
    else:
        lines += ["## Correctness and failures", ""]
        lines += table_lines(sections.failures_table(report))
        lines += table_lines(sections.correctness_table(report))
        lines += ["## Speed and memory", ""]
        lines += [f"Results from {len(report.environments)} result file(s); each machine and device is reported on its own, never pooled.", ""]
        for table in sections.speed_tables(report):
            lines += table_lines(table)
        lines += table_lines(sections.compiled_table(report))
        lines += table_lines(sections.latency_memory_table(report))
    lines += ["## Environment", ""]
    lines += table_lines(sections.environment_table(report))
    if not report.static_only:
        lines += table_lines(sections.code_hash_table(report))
    lines += ["## Reproduce", "", "```bash", report.command, "```", "", "## Threats to validity", ""]
    lines += [f"- {t}" for t in report.threats]
    if report.problems:
        lines += ["", "## Problems met while making this report", ""] + [f"- {p}" for p in report.problems]
    return lines + [""]
