"""What `easeval list` shows: the corpus as plain records, and a text table of them."""

from __future__ import annotations

from typing import Any

from evaluator.corpus import Corpus


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


def format_table(rows: list[list[str]], header: list[str]) -> list[str]:
    """Left-aligned text table as a list of lines."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]


def corpus_table(corpus: Corpus) -> list[str]:
    """One line per task; the footer counts categories of valid tasks only and the tasks with problems."""
    records = corpus_records(corpus)
    rows = [
        [r["task_id"], r["category"] or "-", ", ".join(i["key"] for i in r["implementations"]),
         str(len(r["problems"])) if r["problems"] else ""]
        for r in records
    ]
    categories = {r["category"] for r in records if r["category"]}
    broken = sum(1 for r in records if r["problems"])
    footer = f"{len(rows)} tasks in {len(categories)} categories, {corpus.root}"
    if broken or corpus.problems:
        footer += f"; {broken} with problems, {len(corpus.all_problems)} problem(s) in all (listed on stderr)"
    return format_table(rows, ["task", "category", "implementations", "problems"]) + ["", footer]
