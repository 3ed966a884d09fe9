"""What `easeval list` shows: the corpus as plain records, and a text table of them."""

from __future__ import annotations

from typing import Any

from evaluator.corpus.discovery import Corpus, Task
from evaluator.frameworks import adapter_names, ordered_frameworks
from evaluator.base.text_table import format_table


def corpus_records(corpus: Corpus) -> list[dict[str, Any]]:
    """One JSON-ready record per task."""
    every_framework = ordered_frameworks(adapter_names())
    records = []
    for task in corpus.tasks:
        meta = task.metadata
        records.append({
            "task_id": task.task_id,
            "title": meta.title if meta else None,
            "category": meta.category if meta else None,
            "tags": list(meta.tags) if meta else [],
            "frameworks": list(task.frameworks),
            "not_implemented": list(task.not_implemented(every_framework)),  # no primary implementation
            "implementations": [
                {"key": i.key, "framework": i.framework, "variant": i.variant, "primary": i.is_primary, "path": str(i.path)}
                for i in task.implementations
            ],
            "references": {k: list(v) for k, v in meta.references.items()} if meta else {},
            "problems": [str(p) for p in task.problems],
        })
    return records


def framework_cell(task: Task, framework: str) -> str:
    """'yes' for a primary implementation, '+lowlevel' per variant, '-' for not implemented."""
    impls = [i for i in task.implementations if i.framework == framework]
    cells = ["yes" if i.is_primary else f"+{i.variant}" for i in sorted(impls, key=lambda i: (not i.is_primary, i.key))]
    return " ".join(cells) or "-"


def corpus_table(corpus: Corpus) -> list[str]:
    """One column per framework easeval has an adapter for, so a framework a task lacks shows as '-';
    the footer counts the categories of valid tasks only, and the tasks with problems."""
    frameworks = ordered_frameworks(adapter_names())
    rows = [
        [task.task_id, task.metadata.category if task.metadata else "-",
         *(framework_cell(task, f) for f in frameworks), str(len(task.problems)) if task.problems else ""]
        for task in corpus.tasks
    ]
    categories = {task.metadata.category for task in corpus.tasks if task.metadata}
    counts = ", ".join(f"{f} {sum(1 for t in corpus.tasks if t.implementation(f))}" for f in frameworks)
    footer = f"{len(rows)} tasks in {len(categories)} categories, {corpus.root}; primary implementations: {counts}"
    broken = sum(1 for task in corpus.tasks if task.problems)
    if broken or corpus.problems:
        footer += f"; {broken} with problems, {len(corpus.all_problems)} problem(s) in all (listed on stderr)"
    return format_table(rows, ["task", "category", *frameworks, "problems"]) + ["", footer]
