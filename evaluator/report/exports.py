"""results.json (everything, schema-versioned, raw samples included) and metrics.csv (tidy long)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from evaluator.claims.report_model import MAIN_CORPUS, Report, StaticRecord
from evaluator.results import Measurement, Timing
from evaluator.base.fileio import json_safe

CSV_COLUMNS = ("task", "framework", "variant", "metric", "value", "source", "device", "machine", "corpus", "size")


def _plain(value: Any) -> Any:
    """Dataclasses as dicts, recursively (json_safe then turns NaN/Inf into null). Fields declared with
    repr=False are behaviour, not data (a metric's compute function), and are left out."""
    if isinstance(value, Measurement):  # as in result files: flat, raw samples included; measured corpus: tasks
        return {"corpus": MAIN_CORPUS, **value.to_json()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def render_json(report: Report) -> str:
    return json.dumps(json_safe(_plain(report)), indent=1, sort_keys=False, allow_nan=False) + "\n"


def metric_rows(report: Report) -> list[dict[str, Any]]:
    """Long format, one row per value; the external corpora's static records follow the task corpus's."""
    rows = []
    external: list[StaticRecord] = [r for c in report.replication.corpora for r in c.records] if report.replication else []
    for r in (*report.static_records, *external):
        if r.error:
            continue
        for metric, value in sorted(r.metrics.items()):
            rows.append({"task": r.task_id, "framework": r.framework, "variant": r.variant or "", "metric": metric,
                         "value": value, "source": "static", "device": "", "machine": "", "corpus": r.corpus, "size": ""})
        rows.append({"task": r.task_id, "framework": r.framework, "variant": r.variant or "", "metric": "glue_lines_excluded",
                     "value": r.glue_lines_excluded, "source": "static", "device": "", "machine": "", "corpus": r.corpus, "size": ""})
    for rec in report.run_records:
        timing = rec.timing or Timing()
        values = {"ok": 1 if rec.ok else 0, "max_rel_error": rec.max_rel_error, "median_s": timing.median_s,
                  "iqr_s": timing.iqr_s, "process_spread": timing.process_spread, "processes": len(timing.process_medians_s),
                  "first_call_s": timing.first_call_s, "setup_s": timing.setup_s,
                  "memory_bytes": rec.measured_memory_bytes, "peak_rss_bytes": rec.peak_rss_bytes}
        for metric, value in values.items():
            if value is not None:
                rows.append({"task": rec.task, "framework": rec.framework, "variant": rec.variant or "",
                             "metric": metric, "value": value, "source": "run", "device": rec.device,
                             "machine": rec.machine or "", "corpus": MAIN_CORPUS, "size": rec.size or ""})
    return rows


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(metric_rows(report))
    return buffer.getvalue()
