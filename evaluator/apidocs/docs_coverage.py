"""Documentation coverage of the APIs the corpus calls, per framework and per task (pure functions).

Usage comes from the static analysis: per implementation, its canonical framework names and how
often each is referenced. Only primary implementations (`<framework>_impl.py`) count by default,
so each framework is measured on the same tasks; variants (`tensorflow_loop_impl.py`) can be
included with `include_variants=True`. Usage is grouped by the implementation's framework, so the
`keras.*` names a TensorFlow implementation references count for TensorFlow.

Shares are over the names that resolved (`exists`); unresolved names are listed with their reasons
instead. Each share is given per distinct API and weighted by references (a name referenced 100
times weighs 100 times more). The parameter share is over the APIs whose parameters are known and
non-empty (`params_documented` not None).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from evaluator.analysis.corpus_analysis import CorpusAnalysis
from evaluator.apidocs.api_doc import ApiDoc


@dataclass(frozen=True)
class ImplementationUsage:
    framework: str
    task_id: str
    primary: bool
    apis: Counter   # canonical name -> references


@dataclass(frozen=True)
class Ratio:
    count: int
    total: int

    @property
    def value(self) -> float | None:
        """The share, None when there is nothing to share."""
        return self.count / self.total if self.total else None


@dataclass(frozen=True)
class Share:
    per_api: Ratio
    by_calls: Ratio


@dataclass(frozen=True)
class DocShares:
    distinct_apis: int            # every distinct name used, resolved or not
    calls: int                    # every reference to them
    resolved_apis: int
    with_docstring: Share
    params_documented: Share      # among resolved APIs with known, non-empty parameters
    with_example: Share


@dataclass(frozen=True)
class TaskCoverage:
    task_id: str
    shares: DocShares


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: str
    implementations: int
    shares: DocShares
    tasks: tuple[TaskCoverage, ...]
    unresolved: tuple[tuple[str, str], ...]           # name, reason; by name
    missing_example: tuple[tuple[str, int], ...]      # name, references; most used first
    missing_docstring: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DocsCoverage:
    frameworks: tuple[FrameworkCoverage, ...]
    include_variants: bool
    versions: tuple[tuple[str, str], ...] = ()        # framework, installed version
    problems: tuple[str, ...] = ()                    # corpus problems and worker failures


def usage_from_analysis(corpus_analysis: CorpusAnalysis) -> tuple[ImplementationUsage, ...]:
    """Each corpus implementation's API counts; files without an implementation or an API surface are skipped."""
    usage = []
    for analyzed in corpus_analysis.files:
        implementation, api = analyzed.target.implementation, analyzed.analysis.api
        if implementation is None or api is None:
            continue
        usage.append(ImplementationUsage(implementation.framework, implementation.task_id,
                                         implementation.is_primary, Counter(dict(api.apis))))
    return tuple(usage)


def used_names(usage: Iterable[ImplementationUsage], include_variants: bool = False) -> frozenset[str]:
    """Every canonical name the counted implementations reference."""
    return frozenset(name for u in usage if u.primary or include_variants for name in u.apis)


def _share(counts: Counter, selected: Iterable[str], among: Iterable[str]) -> Share:
    selected, among = set(selected), set(among)
    return Share(Ratio(len(selected & among), len(among)),
                 Ratio(sum(counts[n] for n in selected & among), sum(counts[n] for n in among)))


def doc_shares(counts: Counter, records: Mapping[str, ApiDoc]) -> DocShares:
    """Shares of the names in `counts` (name -> references) that the records say are documented."""
    resolved = {n for n in counts if n in records and records[n].exists}
    with_params = {n for n in resolved if records[n].params_documented is not None}
    return DocShares(
        distinct_apis=len(counts), calls=sum(counts.values()), resolved_apis=len(resolved),
        with_docstring=_share(counts, (n for n in resolved if records[n].has_docstring), resolved),
        params_documented=_share(counts, (n for n in with_params if records[n].params_documented), with_params),
        with_example=_share(counts, (n for n in resolved if records[n].has_example), resolved),
    )


def _most_used(counts: Counter, names: Iterable[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((n, counts[n]) for n in names), key=lambda item: (-item[1], item[0])))


def framework_coverage(framework: str, usage: Iterable[ImplementationUsage],
                       records: Mapping[str, ApiDoc]) -> FrameworkCoverage:
    """Coverage of one framework's implementations (already filtered to the ones that count)."""
    usage = [u for u in usage if u.framework == framework]
    total: Counter = Counter()
    per_task: dict[str, Counter] = {}
    for u in usage:
        total.update(u.apis)
        per_task.setdefault(u.task_id, Counter()).update(u.apis)
    found = {n: records.get(n) for n in total}
    resolved = [n for n, r in found.items() if r is not None and r.exists]
    return FrameworkCoverage(
        framework=framework, implementations=len(usage), shares=doc_shares(total, records),
        tasks=tuple(TaskCoverage(task, doc_shares(counts, records)) for task, counts in sorted(per_task.items())),
        unresolved=tuple(sorted((n, (r.reason or "") if r is not None else "not inspected")
                                for n, r in found.items() if r is None or not r.exists)),
        missing_example=_most_used(total, (n for n in resolved if not records[n].has_example)),
        missing_docstring=_most_used(total, (n for n in resolved if not records[n].has_docstring)),
    )


def docs_coverage(usage: Iterable[ImplementationUsage], records: Mapping[str, ApiDoc],
                  frameworks: Iterable[str] | None = None, include_variants: bool = False) -> DocsCoverage:
    """Coverage per framework (those of `frameworks`, else every framework used, sorted)."""
    counted = [u for u in usage if u.primary or include_variants]
    names = sorted({u.framework for u in counted}) if frameworks is None else list(frameworks)
    return DocsCoverage(tuple(framework_coverage(f, counted, records) for f in names), include_variants)
