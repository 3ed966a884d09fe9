"""report.html: the same content as report.md plus plots, self-contained (no network), every corpus
string escaped."""

from __future__ import annotations

from html import escape

from evaluator.report import sections
from evaluator.report.model import Report
from evaluator.report.plots import report_plots
from evaluator.report.sections import Table

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.85em}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}code,pre{background:#f6f8fa;padding:2px 4px}.verdict{font-weight:bold}.plots{display:flex;flex-wrap:wrap;gap:1em}
.plots svg{max-width:100%;height:auto}.note{color:#555;font-size:0.85em;font-style:italic}
"""


def table_html(table: Table, level: int = 3) -> list[str]:
    out = [f"<h{level}>{escape(table.title)}</h{level}>"]
    if not table.rows:
        return out + ["<p>(none)</p>"]
    out.append("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.header) + "</tr></thead><tbody>")
    out += ["<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in table.rows]
    out.append("</tbody></table>")
    if table.note:
        out.append(f'<p class="note">{escape(table.note)}</p>')
    return out


def _plots(svgs: list[str]) -> list[str]:
    return ['<div class="plots">'] + [f"<figure>{svg}</figure>" for svg in svgs] + ["</div>"] if svgs else []


def render_html(report: Report) -> str:
    plots = report_plots(report)
    names = ", ".join(sections.name(report, f) for f in report.frameworks)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>easeval report: {escape(names)}</title>",
           f"<style>{STYLE}</style></head><body>", f"<h1>easeval report: {escape(names)}</h1>",
           f"<p>Generated {escape(report.generated_at)} by easeval {escape(report.easeval_version)} from <code>{escape(report.corpus_root)}</code> "
           f"(revision {escape(report.corpus_revision)}), {len(report.tasks)} tasks.</p>", "<h2>Summary</h2><ul>"]
    out += [f"<li>{escape(h)}</li>" for h in report.headline] or ["<li>No paired comparison could be made.</li>"]
    out += ["</ul>", "<h2>Claims</h2>", "<table><thead><tr><th>#</th><th>claim</th><th>verdict</th></tr></thead><tbody>"]
    out += [f'<tr><td>{c.number}</td><td>{escape(c.statement)}</td><td class="verdict">{escape(c.verdict)}</td></tr>' for c in report.claims]
    out.append("</tbody></table>")
    for c in report.claims:
        out += [f"<h3>{c.number}. {escape(c.statement)}: {escape(c.verdict)}</h3>", f"<p>Decided by: {escape(c.decided_by)}.</p><ul>"]
        out += [f"<li>{escape(e)}</li>" for e in c.evidence] + ["</ul>"]
    out.append("<h2>Static metrics</h2>")
    out += _plots(plots["forest"])
    out += table_html(sections.comparison_table(report, "Primary implementations, paired by task", report.static_comparisons))
    out += ["<h3>Paired values per task (one point per task; dashed: equal)</h3>"] + _plots(plots["paired"])
    if report.variant_comparisons:
        out += table_html(sections.comparison_table(report, "Variants against their primary", report.variant_comparisons))
    for table in (sections.per_category_table(report), sections.per_task_table(report), sections.glue_table(report)):
        out += table_html(table)
    out.append("<h2>APIs each side needed</h2>")
    for table in [*sections.api_tables(report), sections.api_per_task_table(report)]:
        out += table_html(table)
    if report.static_only:
        out.append("<h2>Execution</h2><p>Not run: the report was made with --static-only or from a static-only corpus.</p>")
    else:
        out.append("<h2>Correctness and failures</h2>")
        out += table_html(sections.failures_table(report)) + table_html(sections.correctness_table(report))
        out.append("<h2>Speed and memory</h2>")
        out += _plots(plots["timing"])
        for table in [*sections.speed_tables(report), sections.compiled_table(report), sections.latency_memory_table(report)]:
            out += table_html(table)
    out.append("<h2>Environment</h2>")
    out += table_html(sections.environment_table(report))
    if not report.static_only:
        out += table_html(sections.code_hash_table(report))
    out += ["<h2>Reproduce</h2>", f"<pre>{escape(report.command)}</pre>", "<h2>Threats to validity</h2><ul>"]
    out += [f"<li>{escape(t)}</li>" for t in report.threats] + ["</ul>"]
    if report.problems:
        out += ["<h2>Problems met while making this report</h2><ul>"] + [f"<li>{escape(p)}</li>" for p in report.problems] + ["</ul>"]
    out.append("</body></html>")
    return "\n".join(out) + "\n"
