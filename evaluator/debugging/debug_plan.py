"""The plan of a debugging run: every site, mutant and pair of the corpus, found without running anything."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from evaluator.corpus.discovery import Corpus, Implementation, Task
from evaluator.debugging.mutants import Mutant, content_hash, make_mutants
from evaluator.debugging.operators import OPERATOR_IDS
from evaluator.debugging.pairing import (
    MUTANTS_FILE, PRIMARY, Comparison, MutantPair, MutantsFileError, Unpaired, check_hand_entries, comparisons,
    load_mutants_file, pair_mutants,
)
from evaluator.debugging import mutants as mutants_module, operators as operators_module, sites as sites_module
from evaluator.debugging.sites import Site, find_sites, no_site_reason, site_settings
from evaluator.base.fileio import write_text_atomic

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
    comparisons: dict[str, list[Comparison]] = field(default_factory=dict)   # task -> its comparisons
    not_mutated: list[tuple[str, str, str]] = field(default_factory=list)    # (task, impl key, why)

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


# Finding sites parses every file with libcst (seconds for the corpus); a cached run must not pay it.
# The cache is keyed by the file, its framework and its adapter's site settings, the operators and the
# code that finds and writes the sites, so an edit to any of them is a miss.
_FINDER_CODE = hashlib.sha256(b"".join(Path(m.__file__).read_bytes()
                                        for m in (sites_module, mutants_module, operators_module))).hexdigest()
_SITE_FIELDS = [f.name for f in fields(Site) if f.name not in ("node", "replacement")]


class SiteCache:
    """Mutants per implementation file, by content: a JSON file next to the debug records."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.changed = path, False
        self.entries: dict[str, dict] = {}
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.entries = data["entries"] if data.get("finder") == _FINDER_CODE else {}
            except (OSError, ValueError, KeyError, TypeError):
                self.entries = {}  # a damaged cache is only slower

    @staticmethod
    def key(source: str, framework: str, operators: tuple[str, ...]) -> str:
        # the adapter's site settings (DEBUG_DIALECT, DEBUG_ROOTS) are part of the finder
        return content_hash(_FINDER_CODE, framework, str(site_settings(framework)), ",".join(operators), source)

    def get(self, key: str, task: str, impl: Implementation) -> tuple[list[Mutant], list[str]] | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        mutants = [Mutant(task, impl.key, impl.framework, impl.path.name, Site(**m["site"]), m["source"], m["hash"])
                   for m in entry["mutants"]]
        return mutants, list(entry["problems"])

    def put(self, key: str, mutants: list[Mutant], problems: list[str]) -> None:
        self.entries[key] = {"problems": problems, "mutants": [
            {"site": {k: v for k, v in asdict(m.site).items() if k in _SITE_FIELDS}, "source": m.source, "hash": m.content_hash}
            for m in mutants]}
        self.changed = True

    def save(self) -> None:
        if self.path is not None and self.changed:
            try:
                write_text_atomic(self.path, json.dumps({"finder": _FINDER_CODE, "entries": self.entries}), fsync=False)
            except OSError:
                pass  # only slower next time


def plan_debug(corpus: Corpus, operators: list[str] | tuple[str, ...] | None = None,
               cache_path: Path | None = None) -> DebugPlan:
    """Sites, mutants and pairs of every task of `corpus` (problems collected, never raised).

    `cache_path`: a site cache file (SiteCache) to read and update; None finds every site afresh.
    """
    cache = SiteCache(cache_path)
    chosen = tuple(op for op in OPERATOR_IDS if operators is None or op in operators)
    unknown = [op for op in operators or () if op not in OPERATOR_IDS]
    if unknown:
        raise ValueError(f"unknown operator(s) {', '.join(unknown)}; known: {', '.join(OPERATOR_IDS)}")
    plan = DebugPlan(operators=chosen)
    for task in corpus.tasks:
        if task.metadata is None or not task.spec_path.exists() or SIZE not in task.metadata.sizes:
            continue
        shared = _shared_hash(task)
        by_key: dict[str, list[Mutant]] = {}
        # every implementation the task's files hold is mutated with every operator (issue 22 part 1)
        for impl in task.runnable_implementations:
            why = no_site_reason(impl.framework)
            if why is not None:
                plan.not_mutated.append((task.task_id, impl.key, why))
                continue
            source = impl.path.read_text(encoding="utf-8")
            key = SiteCache.key(source, impl.framework, chosen)
            cached = cache.get(key, task.task_id, impl)
            if cached is None:
                try:
                    scan = find_sites(source, impl.framework, chosen)
                except Exception as exc:  # noqa: BLE001 - a file that does not parse is a problem, not a stop
                    plan.problems.append(f"{impl.path}: no sites: {type(exc).__name__}: {exc}")
                    continue
                cached = make_mutants(scan, task.task_id, impl.key, impl.framework, impl.path.name, source)
                cache.put(key, *cached)
            mutants, problems = cached
            plan.problems += problems
            target = Target(task, impl, source, shared, chosen)
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
        plan.comparisons[task.task_id] = comparisons(by_key, task.metadata.levels)
        for comparison in plan.comparisons[task.task_id]:
            pairs, unpaired = pair_mutants(task.task_id, comparison.a, comparison.b, by_key, hand, comparison.name)
            plan.pairs += pairs
            plan.unpaired += unpaired
    cache.save()
    return plan


@dataclass(frozen=True)
class CoverageRow:
    """Pairing coverage of one operator in one framework (or "all"), within one comparison (or "any")."""

    comparison: str
    operator: str
    framework: str
    mutants: int
    paired: int
    unpaired: dict[str, int]     # reason -> mutants

    @property
    def share(self) -> float | None:
        return self.paired / self.mutants if self.mutants else None


def coverage(plan: DebugPlan, comparison: str = PRIMARY) -> list[CoverageRow]:
    """Per operator and framework: the mutants of the implementations `comparison` compares, how many are
    paired in it and why the rest are not; the last rows ("all") add every operator up. `comparison="any"`:
    every mutated implementation, paired in any comparison."""
    pairs = [p for p in plan.pairs if comparison in ("any", p.comparison)]
    paired = {(m.task, m.impl_key, m.site.site_id) for p in pairs for m in (p.a, p.b)}
    reasons: dict[tuple, str] = {}
    for u in plan.unpaired:
        if comparison in ("any", u.comparison):
            reasons.setdefault((u.mutant.task, u.mutant.impl_key, u.mutant.site.site_id), u.reason)
    sides = {(task, k) for task, cs in plan.comparisons.items() for c in cs if comparison in ("any", c.name) for k in (c.a, c.b)}
    if comparison == "any":
        sides = set(plan.mutants)
    mutants = [m for key in sides for m in plan.mutants.get(key, [])]
    rows = []
    frameworks = sorted({m.framework for m in mutants})
    for operator in list(plan.operators) + ["all"]:
        for framework in frameworks + ["all"]:
            mine = [m for m in mutants if operator in ("all", m.site.operator) and framework in ("all", m.framework)]
            if not mine:
                continue
            ids = [(m.task, m.impl_key, m.site.site_id) for m in mine]
            done = sum(1 for i in ids if i in paired)
            why: dict[str, int] = {}
            for i in ids:
                if i not in paired:
                    reason = reasons.get(i, "no comparison")
                    why[reason] = why.get(reason, 0) + 1
            rows.append(CoverageRow(comparison, operator, framework, len(mine), done, why))
    return rows
