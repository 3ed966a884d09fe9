"""The planted-bug evidence attached to the report. Claim 8 ("dynamic graphs make debugging easier") is
decided once, by the claim protocol, from the per-task evidence the pipeline hands to build_report
(`report.pipeline.debugging_evidence`); the Debugging section shows that verdict and never decides
one of its own.
"""

from __future__ import annotations

from dataclasses import replace

from evaluator.claims.report_model import Report
from evaluator.debugging.debug_summary import DebugSummary


def with_debugging(report: Report, summary: DebugSummary | None) -> Report:
    """The report with its debugging evidence (the Debugging section); claim 8 stays as the protocol decided it."""
    if summary is None:
        return report
    return replace(report, debugging=summary)
