"""The short summary `easeval report` prints at the end: lines, not printing."""

from __future__ import annotations

from typing import Any

from evaluator.report.outcomes import outcome_words


def terminal_summary(outcome: Any) -> list[str]:
    report = outcome.report
    lines = ["", f"Claims (protocol {report.protocol_version}):"]
    for c in report.claims:
        words = f" ({outcome_words(c.outcome, report.display_names)})" if c.outcome else ""
        marks = f" [{', '.join(c.marks)}]" if c.marks else ""
        lines.append(f"  {c.number}. {c.statement}: {c.verdict}{words}{marks}")
    others = report.headline[len(report.claims):]   # the headline opens with one line per claim
    if others:
        lines += ["", "Summary:"] + [f"  - {h}" for h in others[:5]]
    failures = len(report.failures)
    if failures:
        lines.append(f"\n{failures} failure(s): see the 'Correctness and failures' section.")
    timing = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in outcome.seconds.items())
    lines += ["", f"Time: {timing}", f"Report: {outcome.files['report.md'].parent}/ "
              f"({', '.join(sorted(outcome.files))})"]
    return lines
