"""Template reuse made visible: files of one framework, in different tasks, that share many lines.

Tasks written from a shared template are not independent evidence: a verdict carried by five copies of
one training loop counts that loop five times. This reads the files (never runs them), measures for
every pair of same-framework implementation files of different tasks the share of the shorter file's
code lines that the other has too (stripped, blank and comment-only lines ignored, counted with
multiplicity), and joins tasks whose files share at least a threshold into families; the claim
protocol (version 2) leaves families out and resamples them whole.

Boilerplate is not a template: a line found in at least BOILERPLATE_SHARE of a framework's files
(`import torch`, `def run(state):`, `return state`) is ignored, else every pair of short files would
look alike and single linkage would chain half the corpus into one family (measured on corpus v2: 29
tasks in one family at 0.5 with boilerplate counted, families of at most 5 without it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Iterable, Mapping

BOILERPLATE_SHARE = 0.10   # a line in this share of a framework's files or more is boilerplate


@dataclass(frozen=True)
class TemplateReuse:
    """Two files of one framework, in different tasks, sharing `share` of their lines (the shorter's)."""

    framework: str
    task_a: str
    task_b: str
    share: float


def code_lines(text: str) -> Counter[str]:
    """The file's code lines, stripped, as a multiset (blank lines and comment-only lines dropped)."""
    lines = (line.strip() for line in text.splitlines())
    return Counter(line for line in lines if line and not line.startswith("#"))


def shared_share(a: Counter[str], b: Counter[str]) -> float:
    """Lines the two have in common (with multiplicity) over the shorter's lines."""
    shorter = min(sum(a.values()), sum(b.values()))
    return sum((a & b).values()) / shorter if shorter else 0.0


def template_reuse(files: Iterable[tuple[str, str, Path]], minimum: float = 0.0) -> list[TemplateReuse]:
    """Every pair of (task, framework, path) files of one framework and different tasks sharing at
    least `minimum`, most similar first. Unreadable files are skipped (the analysis reports them)."""
    by_framework: dict[str, list[tuple[str, Counter[str]]]] = {}
    for task, framework, path in files:
        try:
            by_framework.setdefault(framework, []).append((task, code_lines(Path(path).read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError):
            continue
    found = []
    for framework, entries in sorted(by_framework.items()):
        entries = _without_boilerplate(entries)
        for (task_a, lines_a), (task_b, lines_b) in combinations(sorted(entries, key=lambda e: e[0]), 2):
            if task_a == task_b:
                continue
            share = shared_share(lines_a, lines_b)
            if share >= minimum:
                found.append(TemplateReuse(framework, task_a, task_b, round(share, 4)))
    return sorted(found, key=lambda r: (-r.share, r.framework, r.task_a, r.task_b))


def _without_boilerplate(entries: list[tuple[str, Counter[str]]]) -> list[tuple[str, Counter[str]]]:
    frequency = Counter(line for _, lines in entries for line in set(lines))
    common = {line for line, n in frequency.items() if n >= BOILERPLATE_SHARE * len(entries)}
    return [(task, Counter({line: n for line, n in lines.items() if line not in common})) for task, lines in entries]


def families(tasks: Iterable[str], reuse: Iterable[TemplateReuse], threshold: float) -> dict[str, str]:
    """task -> family: tasks joined (transitively) by any pair sharing at least `threshold`; a family is
    named after its alphabetically first task, and a task alone is its own family."""
    parent = {t: t for t in tasks}

    def root(t: str) -> str:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for r in reuse:
        if r.share >= threshold and r.task_a in parent and r.task_b in parent:
            a, b = root(r.task_a), root(r.task_b)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {t: root(t) for t in parent}


def family_sizes(family_of: Mapping[str, str]) -> dict[str, int]:
    return dict(Counter(family_of.values()))
