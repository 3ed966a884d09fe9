"""What `easeval analyze` analyses: task ids, task folders, folders of tasks, or any Python files.

A task, however it is named, contributes its implementation files only (never spec.py: the NumPy
reference is nobody's framework code), each labelled with its task and implementation key. Any
other file or folder is analysed as plain Python. The folders of the corpus are scanned, not
imported: nothing here runs task code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from evaluator.analysis.corpus_analysis import (
    AnalysisTarget, CorpusAnalysis, aliases_near, analyze_targets, path_targets,
)
from evaluator.analysis.cache import DEFAULT_CACHE_DIR
from evaluator.corpus.discovery import METADATA_FILE, Corpus, Task, discover, is_task, load_task
from evaluator.corpus.task_metadata import TASK_ID_PATTERN


@dataclass
class AnalysisScope:
    targets: list[AnalysisTarget] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    static_only: bool = False  # only tasks without metadata (folders of *_impl.py pairs)


def _add_tasks(scope: AnalysisScope, tasks: Sequence[Task]) -> None:
    scope.targets += [AnalysisTarget(i.path, i) for task in tasks for i in task.implementations]
    scope.problems += [str(p) for task in tasks for p in task.problems]


def _holds_tasks(folder: Path) -> bool:
    return folder.is_dir() and any(is_task(child) for child in folder.iterdir() if not child.name.startswith((".", "_")))


def analysis_scope(arguments: Sequence[str | Path], tasks_dir: Path) -> AnalysisScope:
    """The files to analyse for `easeval analyze ARGUMENTS --tasks TASKS_DIR`, and the problems met.

    No arguments: every implementation of the corpus in `tasks_dir`. Each argument is, in this order,
    a task folder, a folder of task folders, any other existing file or folder, or a task id in
    `tasks_dir`; anything else is a problem.
    """
    scope = AnalysisScope()
    if not arguments:
        corpus = discover(tasks_dir)
        _add_tasks(scope, corpus.tasks)
        scope.problems = [str(p) for p in corpus.all_problems]
        scope.static_only = corpus.static_only
        return scope

    corpus: Corpus | None = None  # discovered at the first task id
    plain: list[Path] = []
    metadata_flags: list[bool] = []
    for argument in map(str, arguments):
        path = Path(argument)
        if is_task(path):
            task = load_task(path, static_only=not (path / METADATA_FILE).exists())
            _add_tasks(scope, [task])
            metadata_flags.append((path / METADATA_FILE).exists())
        elif _holds_tasks(path):
            folder_corpus = discover(path)
            _add_tasks(scope, folder_corpus.tasks)
            scope.problems += [str(p) for p in folder_corpus.problems]
            metadata_flags.append(not folder_corpus.static_only)
        elif path.exists():
            plain.append(path)
        elif TASK_ID_PATTERN.fullmatch(argument):
            corpus = corpus or discover(tasks_dir)
            task = next((t for t in corpus.tasks if t.task_id == argument), None)
            if task is None:
                scope.problems.append(f"{argument}: no such file or folder, and no task {argument!r} in {tasks_dir}")
                continue
            _add_tasks(scope, [task])
            metadata_flags.append(not corpus.static_only)
        else:
            scope.problems.append(f"{argument}: no such file or folder")
    files, path_problems = path_targets(plain)
    scope.targets += files
    scope.problems += path_problems
    unique: dict[Path, AnalysisTarget] = {}
    for target in scope.targets:  # a file named twice is analysed once, labelled as its task where it has one
        unique.setdefault(target.path.resolve(), target)
    scope.targets = list(unique.values())
    scope.problems = list(dict.fromkeys(scope.problems))
    scope.static_only = bool(metadata_flags) and not plain and not any(metadata_flags)
    return scope


def analyze_scope(arguments: Sequence[str | Path], tasks_dir: Path, *, cache_dir: Path | None = DEFAULT_CACHE_DIR,
                  workers: int | None = None) -> CorpusAnalysis:
    """Static metrics of everything `arguments` names (see analysis_scope)."""
    scope = analysis_scope(arguments, tasks_dir)
    # An imported corpus's [aliases] (its corpus.toml) hold for every file of it, however it was named.
    aliases, alias_problems = aliases_near([t.path for t in scope.targets])
    return analyze_targets(scope.targets, cache_dir=cache_dir, workers=workers, problems=scope.problems + alias_problems,
                           static_only=scope.static_only, aliases=aliases)
