"""The "Keras across backends" section as layout blocks (figures from claims/cross_backend.py)."""

from __future__ import annotations

from evaluator.claims.cross_backend import cross_backend_line
from evaluator.claims.number_words import fmt_ci, fmt_num
from evaluator.claims.report_model import CrossBackend, Report
from evaluator.report.blocks import Block, Bullets, Code, Paragraph, Section, TableBlock
from evaluator.report.tables import Table, comparison_table, name, speed_tables

TITLE = "Keras across backends"


def backend_ratio_table(report: Report, c: CrossBackend) -> Table:
    """Per backend and setting: steady-state and first-call ratios of Keras on it to the backend's own files."""
    rows = []
    for s in c.speed:
        first = s.first_call.result if s.first_call is not None else None
        rows.append((name(report, s.a_key), name(report, s.b_key), s.device, s.size, s.machine,
                     fmt_num(s.overall.ratio), fmt_ci(s.overall.ci).removeprefix("95% CI "), str(s.overall.n),
                     "n/a" if first is None or first.ratio is None else fmt_num(first.ratio),
                     "n/a" if first is None or first.ratio_ci is None else fmt_ci(first.ratio_ci).removeprefix("95% CI "),
                     str(first.n) if first is not None else "0"))
    return Table(f"{name(report, c.framework)} on each backend against that backend's own implementation",
                 ("run", "against", "device", "size", "machine", "steady-state ratio", "95% CI", "tasks",
                  "first-call ratio", "first-call CI", "tasks (first call)"), tuple(rows),
                 "Paired by task on one machine, device, thread count and size. Steady state: geometric mean over tasks "
                 "of the per-task ratio of process medians, bootstrap 95% interval (as in Speed and memory). First call: "
                 "geometric mean of the per-task first-call latency ratios (first timing process), bootstrap 95% "
                 "interval. Above 1: "
                 "Keras is slower than the backend's own file.")


def portability_table(report: Report, c: CrossBackend) -> Table:
    rows = tuple((f.task, f.backend or "", f.device, f.status, (f.error or "")[:300]) for f in c.failures)
    return Table(f"{name(report, c.framework)} files that failed on a backend", ("task", "backend", "device", "status", "message"),
                 rows, "Every measurement that ended neither ok nor skipped, with its message.")


def _blocks(report: Report, c: CrossBackend) -> list[Block]:
    display = name(report, c.framework)
    share = f"{len(c.portable)} of {len(c.files)}" + (f" ({len(c.portable) / len(c.files):.0%})" if c.files else "")
    blocks: list[Block] = [
        Paragraph(("Each ", Code(f"{c.framework}_impl.py"), f" is written against {display} alone and is one "
                   "implementation (analysed once) measured on every installed backend: "
                   f"{', '.join(c.backends) or 'none measured yet'}. Descriptive: no claim of the protocol is about "
                   f"{display} (docs/claims.md), and its files are in none of the other comparisons.",)),
        Bullets((cross_backend_line(c, report.display_names),
                 f"Portability: {share} {display} file(s) correct on every backend they ran on.",
                 *(f"Skipped backend {s}" for s in c.skipped))),
    ]
    by_other: dict[str, list] = {}
    for comparison in c.static:
        by_other.setdefault(comparison.b_key, []).append(comparison)
    for other, comparisons in by_other.items():
        blocks.append(TableBlock(comparison_table(
            report, f"{display} vs {name(report, other)}: static metrics, paired by task ({len(comparisons[0].tasks)} tasks)",
            comparisons)))
    if c.speed:
        blocks.append(TableBlock(backend_ratio_table(report, c)))
        blocks += [TableBlock(t) for t in speed_tables(report, c.speed)]
    if c.failures:
        blocks.append(TableBlock(portability_table(report, c)))
    return blocks


def cross_backend_section(report: Report) -> Section | None:
    """The section, or None when the corpus has no file of a multi-backend framework."""
    if not report.cross_backend:
        return None
    blocks = [b for c in report.cross_backend for b in _blocks(report, c)]
    return Section("keras-backends", TITLE, tuple(blocks))
