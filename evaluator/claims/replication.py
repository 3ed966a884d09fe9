"""Replication: what external corpora (`easeval report --corpus NAME=DIR`) say beside the task corpus.

Each corpus is static-only. For the report's first framework pair, every corpus gets the same
computation as the task corpus: `compare_static` (paired by task, Holm within each metric family) and
the static claims of `evaluate_claims`. The outcomes are laid side by side per confirmatory metric and
per claim; a claim (or a metric) is *contested* when its direction differs between corpora. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluator.base.metric_registry import CONFIRMATORY, REGISTRY, STATIC
from evaluator.claims.claim_verdicts import evaluate_claims
from evaluator.claims.claim_outcomes import contested, outcome_direction
from evaluator.claims.claim_protocol import Protocol
from evaluator.claims.metric_comparisons import compare_static
from evaluator.claims.report_model import MAIN_CORPUS, MetricComparison, StaticRecord, TaskSummary
from evaluator.base.stats import A_HIGHER, B_HIGHER

# Claims decided by static evidence alone (the others need execution, which corpora never get):
# 1 easier to learn, 2 more Pythonic, 3 Keras simplifies (needs low-level variants), 4 the gap is
# small, 7 deployment (needs task categories). 3 and 7 stay "not measured" on corpora without them.
STATIC_CLAIMS = (1, 2, 3, 4, 7)
CONFIRMATORY_METRICS = tuple(m.name for m in REGISTRY if m.role == CONFIRMATORY and m.family is not None and m.source == STATIC)
_CORPUS_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class ExternalCorpus:
    """One `--corpus NAME=DIR` as the pipeline read it: its static records and its corpus.toml."""

    name: str
    root: str
    records: tuple[StaticRecord, ...]
    manifest: Any = None              # manifest.CorpusManifest, or None for a folder without corpus.toml
    problems: tuple[str, ...] = ()
    tasks: tuple[TaskSummary, ...] = ()   # with categories and tags when known (the added-since set), else read off records


@dataclass(frozen=True)
class Provenance:
    corpus: str
    root: str
    importer: str                     # pairs | d2l | manual | "task corpus" | "no corpus.toml"
    source: str
    package: str
    version: str
    git_commit: str
    created: str
    patterns: dict[str, str]
    counts: dict[str, int]
    aliases: int
    analysed_pairs: int               # tasks with both sides analysed without error
    files: int
    errors: int                       # files the analysis could not read (syntax, encoding): pair kept, not compared
    prelude_share: dict[str, float] = field(default_factory=dict)  # d2l: preludes' share of SLOC per side


@dataclass(frozen=True)
class Outcome:
    """One corpus's verdict on one metric or claim; `direction` is +1 (for a), -1 (for b) or 0 (neither)."""

    corpus: str
    verdict: str
    direction: int
    n: int = 0
    ratio: float | None = None
    ci: tuple[float, float] | None = None
    p_holm: float | None = None
    reason: str = ""          # why there is no ratio (a zero value on some pair), as the statistics say


@dataclass(frozen=True)
class MetricReplication:
    metric: str
    label: str
    outcomes: tuple[Outcome, ...]
    contested: bool


@dataclass(frozen=True)
class ClaimReplication:
    number: int
    statement: str
    outcomes: tuple[Outcome, ...]
    contested: bool


@dataclass(frozen=True)
class Lookalike:
    """Imports that look like a framework module but resolve to none: their references are missed."""

    corpus: str
    target: str
    references: int
    files: int


@dataclass(frozen=True)
class CorpusRecords:
    """An external corpus's static records and comparisons (results.json, metrics.csv carry them)."""

    name: str
    records: tuple[StaticRecord, ...]
    comparisons: tuple[MetricComparison, ...]


@dataclass(frozen=True)
class Replication:
    a_key: str
    b_key: str
    provenance: tuple[Provenance, ...]          # the task corpus first, then each --corpus in order
    metrics: tuple[MetricReplication, ...]
    claims: tuple[ClaimReplication, ...]
    lookalikes: tuple[Lookalike, ...]
    errors: tuple[tuple[str, str, str, str], ...]  # corpus, task, implementation, error
    corpora: tuple[CorpusRecords, ...]          # external corpora only
    problems: tuple[str, ...] = ()


# ---- building ----------------------------------------------------------------------------------------

def parse_corpus_spec(text: str) -> tuple[str, Path]:
    """`NAME=DIR` of `--corpus`; ValueError saying what is wrong."""
    name, sep, folder = text.partition("=")
    name = name.strip()
    if not sep or not name or not folder:
        raise ValueError(f"{text!r}: expected NAME=DIR, e.g. hf=corpora/hf")
    if not set(name) <= _CORPUS_NAME_CHARACTERS or not name[0].isalnum():
        raise ValueError(f"{text!r}: a corpus name is lowercase letters, digits, '_' and '-'")
    if name == MAIN_CORPUS:
        raise ValueError(f"{text!r}: {MAIN_CORPUS!r} names the task corpus; choose another name")
    return name, Path(folder)


def _outcome(corpus: str, c: MetricComparison | None) -> Outcome:
    if c is None:
        return Outcome(corpus, "not measured", 0)
    r = c.result
    direction = 1 if r.verdict == A_HIGHER else -1 if r.verdict == B_HIGHER else 0
    return Outcome(corpus, r.verdict, direction, r.n, r.ratio, r.ratio_ci,
                   r.pvalue_holm if r.pvalue_holm is not None else r.pvalue, r.ratio_reason if r.ratio is None else "")


def _claims(corpus: str, records: list[StaticRecord], tasks: list[TaskSummary], names: dict[str, str],
            a_key: str, b_key: str, protocol: Protocol | None = None) -> dict[int, Any]:
    """The static claims of the protocol on one corpus (no robustness rerun: only the outcome is shown)."""
    claims = evaluate_claims(records=records, tasks=tasks, names=names, with_robustness=False, protocol=protocol)
    return {c.number: c for c in claims if c.number in STATIC_CLAIMS}


def _tasks_of(records: list[StaticRecord]) -> list[TaskSummary]:
    keys: dict[str, list[str]] = defaultdict(list)
    for r in records:
        keys[r.task_id].append(r.impl_key)
    return [TaskSummary(task_id, task_id, None, (), tuple(k), {}) for task_id, k in keys.items()]


def _provenance(name: str, root: str, manifest: Any, records: list[StaticRecord], a_key: str, b_key: str,
                importer: str | None = None, revision: str = "") -> Provenance:
    ok = {(r.task_id, r.impl_key) for r in records if r.error is None}
    analysed = sum(1 for task in {r.task_id for r in records} if (task, a_key) in ok and (task, b_key) in ok)
    errors = sum(1 for r in records if r.error)
    share: dict[str, float] = {}
    if manifest is not None and manifest.d2l is not None and manifest.d2l.prelude_pairs:
        preludes = set(manifest.d2l.prelude_pairs)
        for key in (a_key, b_key):
            mine = [r for r in records if r.impl_key == key and r.error is None]
            total = sum(r.metrics.get("sloc", 0) for r in mine)
            if total:
                share[key] = sum(r.metrics.get("sloc", 0) for r in mine if r.task_id in preludes) / total
    if manifest is None:
        return Provenance(name, root, importer or "no corpus.toml", root, "", "", revision, "", {}, {}, 0, analysed,
                          len(records), errors, share)
    s = manifest.source
    return Provenance(name, root, manifest.importer, s.path, s.package, s.version, s.git_commit, manifest.created,
                      dict(manifest.patterns), dict(manifest.counts), len(manifest.aliases), analysed, len(records),
                      errors, share)


def _lookalikes(corpus: str, records: list[StaticRecord]) -> list[Lookalike]:
    references: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for r in records:
        for target, count in r.lookalikes.items():
            references[target] += count
            files[target] += 1
    return [Lookalike(corpus, t, references[t], files[t]) for t in sorted(references, key=lambda t: (-references[t], t))]


def _first_side(claim: Any) -> str:
    """The claim's first side (the key a difference in its favour points +1 to)."""
    return claim.primary.a_key if claim.primary is not None else ""


def build_replication(main_records: list[StaticRecord], main_tasks: list[TaskSummary], external: list[ExternalCorpus],
                      names: dict[str, str], a_key: str, b_key: str, *, main_root: str = "tasks",
                      main_revision: str = "", protocol: Protocol | None = None) -> Replication:
    """Per confirmatory metric and static claim, every corpus's outcome side by side, and what is contested."""
    corpora = [(MAIN_CORPUS, list(main_records), main_tasks)] + [(c.name, list(c.records), list(c.tasks) or _tasks_of(list(c.records)))
                                                                  for c in external]
    comparisons: dict[str, list[MetricComparison]] = {}
    claims: dict[str, dict[int, Any]] = {}
    for name, records, tasks in corpora:
        comparisons[name] = compare_static([r for r in records if r.variant is None], a_key, b_key)
        claims[name] = _claims(name, records, tasks, names, a_key, b_key, protocol)

    metrics = []
    for metric in CONFIRMATORY_METRICS:
        outcomes = tuple(_outcome(name, next((c for c in comparisons[name] if c.metric.name == metric), None))
                         for name, _, _ in corpora)
        label = next((m.label for m in REGISTRY if m.name == metric), metric)
        metrics.append(MetricReplication(metric, label, outcomes, contested({o.corpus: o.direction for o in outcomes})))

    claim_rows = []
    for number in STATIC_CLAIMS:
        found = [(name, claims[name].get(number)) for name, _, _ in corpora]
        statement = next((c.statement for _, c in found if c is not None), f"claim {number}")
        outcomes = tuple(Outcome(name, c.verdict if c else "not measured", outcome_direction(c.outcome, _first_side(c)) if c else 0)
                         for name, c in found)
        # one definition of contested (claim_outcomes.contested): directions of differences shown, not verdict words
        claim_rows.append(ClaimReplication(number, statement, outcomes,
                                           contested({name: c.outcome for name, c in found if c is not None and c.outcome})))

    provenance = [_provenance(MAIN_CORPUS, main_root, None, list(main_records), a_key, b_key, "task corpus", main_revision)]
    provenance += [_provenance(c.name, c.root, c.manifest, list(c.records), a_key, b_key) for c in external]
    lookalikes = [item for name, records, _ in corpora for item in _lookalikes(name, records)]
    errors = [(name, r.task_id, r.impl_key, r.error) for name, records, _ in corpora[1:] for r in records if r.error]
    return Replication(
        a_key=a_key, b_key=b_key, provenance=tuple(provenance), metrics=tuple(metrics), claims=tuple(claim_rows),
        lookalikes=tuple(lookalikes), errors=tuple(errors),
        corpora=tuple(CorpusRecords(c.name, tuple(c.records), tuple(comparisons[c.name])) for c in external),
        problems=tuple(p for c in external for p in c.problems),
    )
