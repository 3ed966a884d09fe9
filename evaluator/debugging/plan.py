"""The plan of a debugging run: every site, mutant and pair of the corpus, found without running anything."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.corpus import Corpus, Implementation, Task
from evaluator.debugging.mutants import Mutant, content_hash, make_mutants
from evaluator.debugging.operators import OPERATOR_IDS
from evaluator.debugging.pairing import (
    IMPLEMENTATION_PAIRS, MUTANTS_FILE, VARIANT_OPERATORS, MutantPair, MutantsFileError, Unpaired, check_hand_entries,
    load_mutants_file, pair_mutants,
)
from evaluator.debugging.sites import FRAMEWORKS, find_sites

SIZE = "small"


@dataclass(frozen=True)
class Target:
    """One implementation that is mutated: its clean source and what identifies its runs."""

    task: Task
    implementation: Implementation
    source: str
    code_hash: str            # spec.py, task.toml and the size: the part of every mutant hash this target shares
    operators: tuple[str, ...]  # the operators planted in it

    @property
    def key(self) -> tuple[str, str]:
        return self.task.task_id, self.implementation.key

    @property
    def clean_hash(self) -> str:
        return content_hash(self.source, "", self.code_hash)

    def mutant_hash(self, mutant: Mutant) -> str:
        return content_hash(self.source, mutant.source, self.code_hash)


@dataclass
class DebugPlan:
    targets: list[Target] = field(default_factory=list)
    mutants: dict[tuple[str, str], list[Mutant]] = field(default_factory=dict)   # target key -> its mutants
    pairs: list[MutantPair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    operators: tuple[str, ...] = OPERATOR_IDS

    @property
    def all_mutants(self) -> list[Mutant]:
        return [m for target in self.targets for m in self.mutants.get(target.key, [])]

    def target(self, task: str, impl_key: str) -> Target | None:
        return next((t for t in self.targets if t.key == (task, impl_key)), None)


def _shared_hash(task: Task) -> str:
    """What every run of the task depends on besides the implementation: spec, metadata, size."""
    parts = [p.read_text(encoding="utf-8") if p.exists() else "<missing>" for p in (task.spec_path, task.path / "task.toml")]
    size = task.metadata.size(SIZE) if task.metadata and SIZE in task.metadata.sizes else {}
    return content_hash(*parts, json.dumps({"size": SIZE, "values": size}, sort_keys=True))


def plan_debug(corpus: Corpus, operators: list[str] | tuple[str, ...] | None = None) -> DebugPlan:
    """Sites, mutants and pairs of every task of `corpus` (problems collected, never raised)."""
    chosen = tuple(op for op in OPERATOR_IDS if operators is None or op in operators)
    unknown = [op for op in operators or () if op not in OPERATOR_IDS]
    if unknown:
        raise ValueError(f"unknown operator(s) {', '.join(unknown)}; known: {', '.join(OPERATOR_IDS)}")
    plan = DebugPlan(operators=chosen)
    keys = {key for pair in IMPLEMENTATION_PAIRS for key in pair}
    for task in corpus.tasks:
        if task.metadata is None or not task.spec_path.exists() or SIZE not in task.metadata.sizes:
            continue
        shared = _shared_hash(task)
        by_key: dict[str, list[Mutant]] = {}
        for impl in task.runnable_implementations:
            if impl.key not in keys or impl.framework not in FRAMEWORKS:
                continue
            mine = chosen if impl.is_primary else tuple(op for op in chosen if op in VARIANT_OPERATORS)
            if not mine:
                continue
            source = impl.path.read_text(encoding="utf-8")
            try:
                scan = find_sites(source, impl.framework, mine)
            except Exception as exc:  # noqa: BLE001 - a file that does not parse is a problem, not a stop
                plan.problems.append(f"{impl.path}: no sites: {type(exc).__name__}: {exc}")
                continue
            mutants, problems = make_mutants(scan, task.task_id, impl.key, impl.framework, impl.path.name, source)
            plan.problems += problems
            target = Target(task, impl, source, shared, mine)
            plan.targets.append(target)
            plan.mutants[target.key] = mutants
            by_key[impl.key] = mutants
        hand = None
        if (task.path / MUTANTS_FILE).exists():
            try:
                hand = load_mutants_file(task.path / MUTANTS_FILE)
                check_hand_entries(hand, by_key)
            except MutantsFileError as exc:
                plan.problems.append(str(exc))
                hand = None
        for a_key, b_key in IMPLEMENTATION_PAIRS:
            if a_key in by_key and b_key in by_key:
                pairs, unpaired = pair_mutants(task.task_id, a_key, b_key, by_key, hand)
                plan.pairs += pairs
                plan.unpaired += unpaired
    return plan
