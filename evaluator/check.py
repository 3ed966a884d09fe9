"""`easeval check`: validate the corpus statically, then run every implementation once, small, on CPU."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from evaluator.corpus import Corpus, Problem
from evaluator.frameworks import get_adapter, installed_frameworks
from evaluator.runner.protocol import OK, SKIPPED
from evaluator.runner.scheduler import Job, JobOutcome, run_jobs


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    outcomes: tuple[JobOutcome, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def missing_implementation_problems(corpus: Corpus, frameworks: list[str]) -> list[Problem]:
    """Every task needs a primary implementation for every installed framework."""
    problems = []
    for task in corpus.tasks:
        for framework in frameworks:
            if task.implementation(framework) is None:
                problems.append(Problem(task.path / f"{framework}_impl.py",
                                        f"missing: {get_adapter(framework).DISPLAY_NAME} is installed but the task has no primary implementation",
                                        task.task_id))
    return problems


def runnable_jobs(corpus: Corpus, device: str = "cpu", size_name: str = "small") -> list[Job]:
    """Jobs for every implementation of every task whose metadata and spec are usable."""
    jobs = []
    for task in corpus.tasks:
        if task.metadata is None or not task.spec_path.exists():
            continue
        if size_name not in task.metadata.sizes:
            continue
        # Files still carrying the scaffold's TODO marker are reported incomplete, not run.
        jobs.extend(Job(task, impl, device, size_name, check_purity=task.metadata.pure)
                    for impl in task.runnable_implementations)
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
    message = f"{result['status']}: {result.get('error') or 'no detail'}"
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
        return CheckReport((Problem(corpus.root, "static-only corpus (no task.toml files): nothing to check; use `easeval analyze`"),), ())
    frameworks = installed_frameworks()
    problems = list(corpus.all_problems) + missing_implementation_problems(corpus, frameworks)
    notes = []
    with tempfile.TemporaryDirectory(prefix="easeval-check-") as tmp:
        outcomes = run_jobs(runnable_jobs(corpus), workdir or Path(tmp), threads=threads, timeout=timeout,
                            parallel=True, on_outcome=on_outcome)
    for outcome in outcomes:
        framework = outcome.job.implementation.framework
        if outcome.status == SKIPPED and framework not in frameworks:
            notes.append(f"{outcome.job.implementation.path}: {outcome.result['error']}")
            continue
        problem = _outcome_problem(outcome)
        if problem:
            problems.append(problem)
    return CheckReport(tuple(problems), tuple(outcomes), tuple(dict.fromkeys(notes)))
