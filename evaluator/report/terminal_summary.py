"""The short summary `easeval report` prints at the end: lines, not printing."""

from __future__ import annotations

from typing import Any

from evaluator.claims.claim_outcomes import outcome_words
from evaluator.claims.disturbed_timings import shown_verdict
from evaluator.claims.cross_backend import cross_backend_line


def terminal_summary(outcome: Any) -> list[str]:
    report = outcome.report
    lines = ["", f"Claims (protocol {report.protocol_version}):"]
    for c in report.claims:
        words = f" ({outcome_words(c.outcome, report.display_names)})" if c.outcome else ""
        marks = f" [{', '.join(c.marks)}]" if c.marks else ""
        lines.append(f"  {c.number}. {c.statement}: {shown_verdict(c)}{words}{marks}")
    others = report.headline[len(report.claims):]   # the headline opens with one line per claim
    if others:
        lines += ["", "Summary:"] + [f"  - {h}" for h in others[:5]]
    if report.replication is not None:  # --corpus: which verdicts the other corpora contest
        rep = report.replication
        disputed = [f"claim {c.number}" for c in rep.claims if c.contested] + [m.metric for m in rep.metrics if m.contested]
        lines += ["", f"Replication on {len(rep.corpora)} other corpus(es) ({', '.join(c.name for c in rep.corpora)}): "
                      + (f"contested: {', '.join(disputed)}" if disputed else "no verdict contested")]
    lines += [f"\n{cross_backend_line(c, report.display_names)}" for c in report.cross_backend]
    failures = len(report.failures)
    if failures:
        lines.append(f"\n{failures} failure(s): see the 'Correctness and failures' section.")
    timing = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in outcome.seconds.items())
    kept = "" if "rendering" in outcome.seconds else "; kept as it was: nothing it is made from changed"
    lines += ["", f"Time: {timing}", f"Report: {outcome.files['report.md'].parent}/ "
              f"({', '.join(sorted(outcome.files))}){kept}"]
    return lines
