"""`easeval check`: validate the corpus statically, then run every implementation once, small, on CPU."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from evaluator.corpus.discovery import IMPL_SUFFIX, Corpus, Problem, Task
from evaluator.frameworks import adapter_names, backends_of, get_adapter, installed_frameworks, ordered_frameworks
from evaluator.base.run_status import OK, SKIPPED
from evaluator.runner.scheduler import Job, JobOutcome, run_jobs


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    outcomes: tuple[JobOutcome, ...]
    notes: tuple[str, ...] = field(default=())
    not_implemented: tuple[tuple[str, str], ...] = ()  # (task id, framework): installed, no primary here

    @property
    def ok(self) -> bool:
        return not self.problems


def no_primary_problems(corpus: Corpus) -> list[Problem]:
    """A task needs a primary implementation in at least one framework: variants alone compare with nothing."""
    return [
        Problem(task.path, f"no primary implementation: add <framework>{IMPL_SUFFIX} for one of {', '.join(ordered_frameworks(adapter_names()))}",
                task.task_id)
        for task in corpus.tasks if not any(i.is_primary for i in task.implementations)
    ]


def not_implemented(corpus: Corpus, frameworks: list[str]) -> list[tuple[Task, str]]:
    """(task, framework) for every installed framework a task has no primary implementation for.

    Not a problem: a corpus may cover some frameworks in only some tasks (say JAX in the exemplars);
    comparisons use the tasks both sides have.
    """
    return [(task, framework) for task in corpus.tasks if any(i.is_primary for i in task.implementations)
            for framework in task.not_implemented(frameworks)]


def not_implemented_notes(missing: list[tuple[Task, str]]) -> list[str]:
    """One line per task: 'tasks/foo: not implemented: JAX (no jax_impl.py)'."""
    by_folder: dict[Path, list[str]] = {}
    for task, framework in missing:
        by_folder.setdefault(task.path, []).append(framework)
    return [f"{folder}: not implemented: "
            + ", ".join(f"{get_adapter(f).DISPLAY_NAME} (no {f}{IMPL_SUFFIX})" for f in frameworks)
            for folder, frameworks in by_folder.items()]


def runnable_jobs(corpus: Corpus, device: str = "cpu", size_name: str = "small") -> list[Job]:
    """Jobs for every implementation of every task whose metadata and spec are usable; a multi-backend
    framework's file (Keras) once per backend."""
    jobs = []
    for task in corpus.tasks:
        if task.metadata is None or not task.spec_path.exists():
            continue
        if size_name not in task.metadata.sizes:
            continue
        # Files still carrying the scaffold's TODO marker are reported incomplete, not run.
        jobs.extend(Job(task, impl, device, size_name, check_purity=task.metadata.pure, backend=backend)
                    for impl in task.runnable_implementations for backend in backends_of(impl.framework) or (None,))
    return jobs


def task_frame_text(frame: dict | None, implementation_path: Path) -> str:
    """' [line 9, in run: raise ValueError(...)]' for the innermost frame in the task's own files; ''
    when the error did not pass through them. The problem already names the implementation file, so
    only a frame in another file (the spec) names its file."""
    if not frame:
        return ""
    where = "" if Path(frame["file"]) == implementation_path.resolve() else f"{Path(frame['file']).name}, "
    code = f": {frame['code']}" if frame.get("code") else ""
    return f" [{where}line {frame['line']}, in {frame['function']}{code}]"


def _outcome_problem(outcome: JobOutcome) -> Problem | None:
    result = outcome.result
    if result["status"] == OK:
        return None
    on = f" (on the {outcome.job.backend} backend)" if outcome.job.backend else ""
    message = f"{result['status']}{on}: {result.get('error') or 'no detail'}"
    message += task_frame_text(result.get("task_frame"), outcome.job.implementation.path)
    return Problem(outcome.job.implementation.path, message, outcome.job.task.task_id)


def check_corpus(
    corpus: Corpus,
    *,
    timeout: float = 300.0,
    threads: int = 1,
    workdir: Path | None = None,
    on_outcome: Callable[[JobOutcome], None] | None = None,
) -> CheckReport:
    """All problems of the corpus, static and executed. Never stops at the first one."""
    if corpus.static_only:
        return CheckReport((Problem(corpus.root, f"static-only corpus ({corpus.static_only_reason}): nothing to check or run; "
                                                 "use `easeval analyze` or `easeval report --corpus NAME=DIR`"),), ())
    frameworks = installed_frameworks()
    problems = list(corpus.all_problems) + no_primary_problems(corpus)
    missing = not_implemented(corpus, frameworks)
    notes = not_implemented_notes(missing)
    with tempfile.TemporaryDirectory(prefix="easeval-check-") as tmp:
        outcomes = run_jobs(runnable_jobs(corpus), workdir or Path(tmp), threads=threads, timeout=timeout,
                            parallel=True, on_outcome=on_outcome)
    for outcome in outcomes:
        framework = outcome.job.implementation.framework
        if outcome.status == SKIPPED and (framework not in frameworks or "backend" in str(outcome.result.get("error"))):
            notes.append(f"{outcome.job.implementation.path}: {outcome.result['error']}")
            continue
        problem = _outcome_problem(outcome)
        if problem:
            problems.append(problem)
    return CheckReport(tuple(problems), tuple(outcomes), tuple(dict.fromkeys(notes)),
                       tuple((task.task_id, framework) for task, framework in missing))
