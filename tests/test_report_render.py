"""Renderers: one report object, four formats that agree; HTML self-contained and escaped."""

import csv
import io
import json
import re
from dataclasses import replace

import pytest

from evaluator.report.html import render_html
from evaluator.report.markdown import render_markdown
from evaluator.claims.report_model import REPORT_SCHEMA_VERSION
from evaluator.report.pipeline import write_report
from evaluator.report.exports import CSV_COLUMNS, render_csv, render_json

from report_files import ParsedPage, column, markdown_tables
from synthetic_evidence import synthetic_report

SECTIONS = ("## Summary", "## Claims", "## Code size by category (descriptive)", "## Static metrics", "## APIs each side needed", "## Correctness and failures",
            "## Speed and memory", "## Environment", "## Reproduce", "## Threats to validity")


@pytest.fixture(scope="module")
def report():
    base = synthetic_report(10)
    hostile = replace(base.tasks[0], title="<script>alert('x')</script>")
    return replace(base, tasks=(hostile, *base.tasks[1:]), command="easeval report --tasks '<x>'")


def test_markdown_has_every_section_in_order(report):
    text = "\n".join(render_markdown(report))
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    # the one-screen row of claim 1; +1 offset for counts: (0.7 b + 1) / (b + 1) is about 0.71
    assert "| meaningful difference favouring PyTorch | lloc 0.708 (" in text
    for claim in report.claims:
        assert f"| {claim.number} | {claim.statement} | **{claim.verdict}** |" in text


def test_html_is_self_contained_escaped_and_has_plots(report):
    page = render_html(report)
    assert "<script" not in page  # no script at all, hostile or otherwise
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page  # the corpus string, escaped
    assert "easeval report --tasks &#39;&lt;x&gt;&#39;" in page
    assert not re.search(r'(src|href)="https?://', page), "the page must not load anything from the network"
    assert page.count("<svg") >= 4  # forest plot, paired plots, timing plot
    for heading in ("Summary", "Claims", "Static metrics", "Speed and memory", "Threats to validity"):
        assert f"<h2>{heading}</h2>" in page


def test_json_is_schema_versioned_and_keeps_raw_samples(report):
    data = json.loads(render_json(report))
    assert data["schema_version"] == REPORT_SCHEMA_VERSION
    assert len(data["run_records"][0]["timing"]["samples_s"]) == 15
    assert data["claims"][0]["verdict"] == "supported"
    for comparison in data["static_comparisons"]:  # Holm never lowers a p-value
        assert 0 < comparison["result"]["pvalue"] <= comparison["result"]["pvalue_holm"] <= 1


def test_csv_is_tidy_long(report):
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert tuple(rows[0]) == CSV_COLUMNS
    sloc = [r for r in rows if r["metric"] == "sloc" and r["task"] == "t0"]
    assert {r["framework"] for r in sloc} == {"torch", "tensorflow"}
    medians = [r for r in rows if r["metric"] == "median_s" and r["framework"] == "torch" and r["variant"] == ""]
    assert len(medians) == 10 and float(medians[0]["value"]) == pytest.approx(0.001)


def test_write_report_writes_four_files(report, tmp_path):
    files = write_report(report, tmp_path / "out")
    assert sorted(files) == ["metrics.csv", "report.html", "report.md", "results.json"]
    assert files["report.md"].read_text() == "\n".join(render_markdown(report))
    assert files["report.html"].read_text() == render_html(report)
    assert files["results.json"].read_text() == render_json(report)
    assert files["metrics.csv"].read_text() == render_csv(report)
    assert not list((tmp_path / "out").glob(".*"))  # no temp files left behind


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


def test_the_four_files_agree_on_every_figure(report, tmp_path):
    files = write_report(report, tmp_path / "out")
    markdown = markdown_tables(files["report.md"].read_text())
    page = ParsedPage(files["report.html"].read_text())
    data = json.loads(files["results.json"].read_text())
    rows = list(csv.DictReader(io.StringIO(files["metrics.csv"].read_text())))

    # Markdown and HTML: the same tables under the same headings, cell for cell.
    assert len(markdown) >= 10 and markdown == page.tables

    # JSON and Markdown: every paired comparison's ratio, Holm p-value and task counts (log scale), as printed.
    (table,) = [rows for heading, rows in markdown.items() if "primary implementations, paired by task" in heading.lower()]
    ratios, holm, tasks = (column(table, name) for name in ("ratio PyTorch/TensorFlow", "p (Holm)", "tasks / non-zero"))
    assert len(ratios) == len(data["static_comparisons"])
    for comparison in data["static_comparisons"]:
        label, log = comparison["metric"]["label"], comparison["log"]
        assert _number(ratios[label]) == pytest.approx(log["ratio"], rel=5e-3), label
        assert _number(holm[label]) == pytest.approx(log["pvalue_holm"], rel=5e-2), label
        assert tasks[label] == f"{log['n']} / {log['n_nonzero']}" and log["n"] == len(comparison["tasks"])

    # JSON and Markdown: each claim's verdict and primary ratio in the one-screen table.
    glance = next(rows for heading, rows in markdown.items() if rows and rows[0][:3] == ["#", "claim", "verdict"])
    verdicts, ratios = column(glance, "verdict"), column(glance, "primary metric: ratio (99% CI)")
    for claim in data["claims"]:
        assert verdicts[str(claim["number"])] == claim["verdict"]
        if claim["primary"] is not None and not claim["primary"]["result"]["reason"]:   # claim 7: no deployment task here
            assert _number(ratios[str(claim["number"])].split()[1]) == pytest.approx(claim["primary"]["result"]["ratio"], rel=5e-3)

    # JSON and CSV: every static metric and every median time, value for value.
    csv_values = {(r["task"], r["framework"], r["variant"], r["metric"], r["source"]): float(r["value"]) for r in rows}
    static = {(r["task_id"], r["framework"], r["variant"] or "", metric, "static"): value
              for r in data["static_records"] for metric, value in r["metrics"].items()}
    medians = {(r["task"], r["framework"], r["variant"] or "", "median_s", "run"): r["timing"]["median_s"]
               for r in data["run_records"]}
    assert len(static) == 20 * 8 and len(medians) == 31
    for key, value in {**static, **medians}.items():
        assert csv_values[key] == pytest.approx(value), key
