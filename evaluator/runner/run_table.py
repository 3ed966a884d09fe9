"""Text rendering of a run: lists of lines, printed only by the CLI."""

from __future__ import annotations

from evaluator.results import Measurement, Timing
from evaluator.runner.execute import RunSummary


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us")):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def _bytes(value: int | None) -> str:
    if value is None:
        return "-"
    for scale, unit in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value} B"


def _memory(record: Measurement) -> str:
    if record.peak_device_bytes is not None:
        return f"{_bytes(record.peak_device_bytes)} dev"
    if record.peak_rss_bytes is None:
        return "-"
    added = record.measured_memory_bytes if record.baseline_rss_bytes is not None else None
    return f"+{_bytes(int(added))}" if added is not None else f"{_bytes(record.peak_rss_bytes)} rss"


def _agree(record: Measurement) -> str:
    return "-" if record.frameworks_agree is None else ("yes" if record.frameworks_agree else "NO")


def table_lines(summary: RunSummary) -> list[str]:
    """A table of the run's records, then one line per measurement that did not end ok."""
    header = ("task", "implementation", "size", "device", "status", "median", "processes", "IQR", "first call", "memory",
              "max rel err", "agree")
    rows = []
    for r in summary.records:
        timing = r.timing or Timing()
        status = r.status + (" (cached)" if r.cached_from else "")
        spread = timing.process_spread
        processes = f"{len(timing.process_medians_s)}" + (f" ±{spread * 50:.2g}%" if spread is not None else "")
        rows.append((r.task, r.impl_key + (f" ({r.backend} backend)" if r.backend else ""), r.size or "small", r.device, status, _seconds(timing.median_s),
                     processes if timing.process_medians_s else "-", _seconds(timing.iqr_s),
                     _seconds(timing.first_call_s), _memory(r),
                     "-" if r.max_rel_error is None else f"{r.max_rel_error:.1e}", _agree(r)))
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in (header, *rows)]
    for r in summary.records:
        if not r.ok and r.error:
            lines.append(f"{r.status}: {r.task} / {r.impl_key}{f' ({r.backend} backend)' if r.backend else ''}: {r.error}")
    return lines


def footer_lines(summary: RunSummary) -> list[str]:
    """Counts, import times, notes, problems and where the results are."""
    lines = []
    counts = ", ".join(f"{n} {s}" for s, n in summary.counts.items()) or "nothing measured"
    lines.append(f"{len(summary.records)} measurements on {summary.device}: {counts}"
                 f" ({summary.cached} reused from earlier runs) in {summary.wall_seconds:.1f} s")
    if summary.import_seconds:
        lines.append("import time (fresh interpreter): " + ", ".join(f"{k} {v:.2f} s" for k, v in summary.import_seconds.items()))
    lines.append("median: of the process medians; processes: independent timing processes, ± half the range of their "
                 "medians; IQR: within processes, samples pooled")
    lines.append("memory: peak RSS added by the measurement over its start (Linux VmHWM); 'dev' = allocator peak on the GPU")
    lines += [f"note: {n}" for n in summary.notes]
    lines += [f"problem: {p}" for p in summary.problems]
    if summary.interrupted:
        lines.append("interrupted: finished measurements are kept; rerun the same command to resume")
    lines.append(f"results: {summary.results_path}" if summary.results_path else "results: nothing new to write")
    return lines
