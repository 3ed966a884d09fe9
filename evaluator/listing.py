"""What `easeval list` shows: the corpus as plain records, and a text table of them."""

from __future__ import annotations

from typing import Any

from evaluator.corpus import Corpus
from evaluator.text_table import format_table


def corpus_records(corpus: Corpus) -> list[dict[str, Any]]:
    """One JSON-ready record per task."""
    records = []
    for task in corpus.tasks:
        meta = task.metadata
        records.append({
            "task_id": task.task_id,
            "title": meta.title if meta else None,
            "category": meta.category if meta else None,
            "tags": list(meta.tags) if meta else [],
            "frameworks": list(task.frameworks),
            "implementations": [
                {"key": i.key, "framework": i.framework, "variant": i.variant, "primary": i.is_primary, "path": str(i.path)}
                for i in task.implementations
            ],
            "references": {k: list(v) for k, v in meta.references.items()} if meta else {},
            "problems": [str(p) for p in task.problems],
        })
    return records


def corpus_table(corpus: Corpus) -> list[str]:
    rows = [
        [r["task_id"], r["category"] or "-", ", ".join(i["key"] for i in r["implementations"]),
         "PROBLEMS" if r["problems"] else ""]
        for r in corpus_records(corpus)
    ]
    categories = {r[1] for r in rows}
    footer = f"{len(rows)} tasks in {len(categories)} categories, {corpus.root}"
    return format_table(rows, ["task", "category", "implementations", ""]) + ["", footer]
