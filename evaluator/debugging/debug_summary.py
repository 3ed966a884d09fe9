"""The figures of a debugging run, as plain dataclasses: per operator and framework, the outcome
distribution, the localisation and message figures, expressibility; how the aids change outcomes; and
one example per operator, side by side. Pure functions of the plan and the records; `load_summary`
is the one reader of the results folder (for the report)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.corpus.discovery import Corpus
from evaluator.debugging.messages import strip_ansi
from evaluator.debugging.operators import OPERATOR_IDS
from evaluator.debugging.bug_outcomes import ABSORBED, DECIDED, LOUD, OUTCOMES
from evaluator.debugging.pairing import AMBIGUOUS, MARKED, NO_COUNTERPART, MutantPair
from evaluator.debugging.debug_plan import DebugPlan, plan_debug
from evaluator.debugging.debug_records import METHOD_VERSION, SITE_CACHE, DebugRecord, DebugSet
from evaluator.debugging.sites import site_frameworks

EXAMPLE_MESSAGE_CHARS = 600
# The comparison claim 8 is decided on: PyTorch eager against TensorFlow like for like (pairing labels each
# pair with its `comparison`; a pair without one is primary).
PRIMARY_COMPARISON = "primary"


@dataclass(frozen=True)
class OperatorRow:
    """One operator (or "all") in one framework, without aids unless `aids`."""

    operator: str
    framework: str
    aids: bool
    mutants: int                       # planned mutants (sites)
    measured: int                      # mutants with a record
    no_site: int                       # mutated implementations with no site for this operator
    implementations: int               # mutated implementations
    outcomes: dict[str, int]           # outcome -> mutants
    paired: int
    no_counterpart: int                # expressibility: the other side has no site of this role
    ambiguous: int
    marked_unpaired: int
    loud: int
    localised: int                     # loud and localised by any measure
    innermost: int                     # loud, the planted line is the innermost user frame
    in_user_frames: int
    message_cites: int
    names_shapes: int
    names_dtypes: int
    names_devices: int
    median_frames_user: float | None
    median_frames_framework: float | None
    median_frames_generated: float | None
    median_message_chars: float | None
    median_steps_before_failure: float | None

    @property
    def decided(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in DECIDED)


@dataclass(frozen=True)
class PairOutcome:
    """One paired mutant: what each side's run ended in."""

    task: str
    operator: str
    role: str
    rule: str
    a_key: str
    b_key: str
    a_site: str
    b_site: str
    a: DebugRecord | None
    b: DebugRecord | None
    aids: bool = False
    comparison: str = PRIMARY_COMPARISON   # which implementations it compares (pairing's label; "primary" until set)
    weight: float = 1.0                    # how common the fault is in the wild (the operator's taxonomy weight)

    @property
    def decided(self) -> bool:
        return self.a is not None and self.b is not None and self.a.outcome in DECIDED and self.b.outcome in DECIDED

    @property
    def absorbed(self) -> bool:
        """A side absorbed the bug (benign: its output is the clean run's): the pair says nothing about
        how the frameworks report a bug, only that one of them does not have it."""
        return any(r is not None and r.outcome in ABSORBED for r in (self.a, self.b))

    @property
    def in_primary(self) -> bool:
        """Counted in claim 8's primary: the primary comparison, without aids, decided on both sides,
        neither side absorbed."""
        return self.comparison == PRIMARY_COMPARISON and not self.aids and self.decided and not self.absorbed


@dataclass(frozen=True)
class AidsChange:
    framework: str
    transitions: dict[tuple[str, str], int]   # (outcome without aids, outcome with aids) -> mutants
    localised_without: int
    localised_with: int
    compared: int


@dataclass(frozen=True)
class Example:
    operator: str
    task: str
    sides: tuple[tuple[str, str, str, str, str], ...]   # (impl key, original code, mutated code, outcome, message)


@dataclass(frozen=True)
class DebugSummary:
    frameworks: tuple[str, ...]
    rows: tuple[OperatorRow, ...]             # every operator and "all", per framework, without and with aids
    pairs: tuple[PairOutcome, ...]            # without aids, and with aids where run
    aids: tuple[AidsChange, ...]
    examples: tuple[Example, ...]
    planned: int                              # mutants planned
    measured: int                             # of which have a record (without aids)
    aids_measured: int
    machines: tuple[str, ...]
    problems: tuple[str, ...] = field(default=())

    def row(self, operator: str, framework: str, aids: bool = False) -> OperatorRow | None:
        return next((r for r in self.rows if (r.operator, r.framework, r.aids) == (operator, framework, aids)), None)


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def index_records(records: list[DebugRecord]) -> dict[tuple[str, str, str, bool], DebugRecord]:
    """(task, impl key, site id, aids) -> the newest record."""
    index: dict[tuple[str, str, str, bool], DebugRecord] = {}
    for record in records:
        key = (record.task, record.impl_key, record.site_id, record.aids)
        if key not in index or str(record.started_at) >= str(index[key].started_at):
            index[key] = record
    return index


def _row(operator: str, framework: str, aids: bool, plan: DebugPlan, index, pair_sites: set, unpaired: dict) -> OperatorRow:
    ops = OPERATOR_IDS if operator == "all" else (operator,)
    targets = [t for t in plan.targets if t.implementation.framework == framework]
    mutants = [m for t in targets for m in plan.mutants.get(t.key, []) if m.site.operator in ops]
    records = [r for m in mutants if (r := index.get((m.task, m.impl_key, m.site.site_id, aids))) is not None]
    return OperatorRow(
        operator=operator, framework=framework, aids=aids, mutants=len(mutants), measured=len(records),
        outcomes={o: n for o in OUTCOMES if (n := sum(r.outcome == o for r in records))},
        **_coverage(operator, targets, mutants, plan, pair_sites, unpaired),
        **_loud_figures([r for r in records if r.outcome == LOUD]),
    )


def _coverage(operator: str, targets: list, mutants: list, plan: DebugPlan, pair_sites: set, unpaired: dict) -> dict:
    """Where the operator applies, and how its mutants were paired (OperatorRow's coverage fields)."""
    reasons = Counter(unpaired.get((m.task, m.impl_key, m.site.site_id)) for m in mutants)
    no_site = 0 if operator == "all" else sum(
        1 for t in targets if operator in t.operators and not any(m.site.operator == operator for m in plan.mutants.get(t.key, [])))
    return dict(
        no_site=no_site, implementations=len([t for t in targets if operator == "all" or operator in t.operators]),
        paired=sum((m.task, m.impl_key, m.site.site_id) in pair_sites for m in mutants),
        no_counterpart=reasons[NO_COUNTERPART], ambiguous=reasons[AMBIGUOUS], marked_unpaired=reasons[MARKED],
    )


def _loud_figures(loud: list[DebugRecord]) -> dict:
    """What the loud records show a developer: localisation, what the message names, its size (OperatorRow's fields)."""
    def count(field: str) -> int:
        return sum(bool(getattr(r, field)) for r in loud)

    def median_of(field: str) -> float | None:
        return _median([getattr(r, field) for r in loud if getattr(r, field) is not None])

    return dict(
        loud=len(loud), localised=sum(r.localised for r in loud),
        innermost=count("innermost_user_frame_is_planted"), in_user_frames=count("planted_in_user_frames"),
        message_cites=count("message_cites_planted_line"), names_shapes=count("names_shapes"),
        names_dtypes=count("names_dtypes"), names_devices=count("names_devices"),
        median_frames_user=median_of("frames_user"), median_frames_framework=median_of("frames_framework"),
        median_frames_generated=median_of("frames_generated"), median_message_chars=median_of("message_chars"),
        median_steps_before_failure=_median([float(r.steps_completed) for r in loud if r.steps_completed is not None]),
    )


def _weight(pair: MutantPair) -> float:
    """The pair's weight (pairing's `weight`, else its mutants' or sites'); 1 where none is given."""
    for owner in (pair, pair.a, pair.a.site):
        value = getattr(owner, "weight", None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return 1.0


def pair_outcomes(pairs: list[MutantPair], index, aids: bool = False) -> list[PairOutcome]:
    return [PairOutcome(p.task, p.operator, p.role, p.rule, p.a.impl_key, p.b.impl_key, p.a.site.site_id, p.b.site.site_id,
                        index.get((p.a.task, p.a.impl_key, p.a.site.site_id, aids)),
                        index.get((p.b.task, p.b.impl_key, p.b.site.site_id, aids)), aids,
                        getattr(p, "comparison", None) or PRIMARY_COMPARISON, _weight(p)) for p in pairs]


def _message_excerpt(record: DebugRecord | None) -> str:
    if record is None:
        return "(not run)"
    if record.outcome != LOUD:
        return f"(no message: {record.outcome})"
    text = strip_ansi(f"{record.exception_type}: {record.message or ''}").strip()
    return text if len(text) <= EXAMPLE_MESSAGE_CHARS else text[:EXAMPLE_MESSAGE_CHARS] + " [...]"


def _examples(outcomes: list[PairOutcome], plan: DebugPlan, index) -> list[Example]:
    """One example per operator: a pair where some side failed loud (else any decided pair); an
    operator with no pair shows one unpaired mutant."""
    examples = []
    for operator in OPERATOR_IDS:
        mine = [p for p in outcomes if p.operator == operator and p.decided]
        mine.sort(key=lambda p: (not (p.a.outcome == LOUD or p.b.outcome == LOUD), p.task, p.a_site))
        if mine:
            p = mine[0]
            examples.append(Example(operator, p.task, tuple(
                (r.impl_key, r.original_code, r.mutated_code, r.outcome, _message_excerpt(r)) for r in (p.a, p.b))))
            continue
        single = next((r for m in plan.all_mutants if m.site.operator == operator
                       and (r := index.get((m.task, m.impl_key, m.site.site_id, False))) is not None), None)
        if single is not None:
            examples.append(Example(operator, single.task, ((single.impl_key, single.original_code, single.mutated_code,
                                                             single.outcome, _message_excerpt(single)),)))
    return examples


def _aids_changes(plan: DebugPlan, index, frameworks) -> list[AidsChange]:
    changes = []
    for framework in frameworks:
        transitions: Counter[tuple[str, str]] = Counter()
        without = with_ = compared = 0
        for m in plan.all_mutants:
            if m.framework != framework:
                continue
            off, on = index.get((m.task, m.impl_key, m.site.site_id, False)), index.get((m.task, m.impl_key, m.site.site_id, True))
            if off is None or on is None:
                continue
            compared += 1
            transitions[(off.outcome, on.outcome)] += 1
            without += off.localised
            with_ += on.localised
        if compared:
            changes.append(AidsChange(framework, dict(transitions), without, with_, compared))
    return changes


def summarize(plan: DebugPlan, records: list[DebugRecord], problems: list[str] | tuple[str, ...] = ()) -> DebugSummary:
    """Every figure of the Debugging section and of `easeval debug`'s table."""
    index = index_records(records)
    frameworks = tuple(f for f in site_frameworks() if any(t.implementation.framework == f for t in plan.targets))
    pair_sites = {(m.task, m.impl_key, m.site.site_id) for p in plan.pairs for m in (p.a, p.b)}
    unpaired = {(u.mutant.task, u.mutant.impl_key, u.mutant.site.site_id): u.reason for u in plan.unpaired}
    with_aids = any(r.aids for r in records)
    rows = [_row(op, fw, aids, plan, index, pair_sites, unpaired)
            for aids in ((False, True) if with_aids else (False,)) for op in (*plan.operators, "all") for fw in frameworks]
    outcomes = pair_outcomes(plan.pairs, index) + (pair_outcomes(plan.pairs, index, True) if with_aids else [])
    planned = len(plan.all_mutants)
    measured = sum((m.task, m.impl_key, m.site.site_id, False) in index for m in plan.all_mutants)
    aids_measured = sum((m.task, m.impl_key, m.site.site_id, True) in index for m in plan.all_mutants)
    machines = tuple(sorted({r.machine for r in records if r.machine}))
    return DebugSummary(frameworks, tuple(rows), tuple(outcomes), tuple(_aids_changes(plan, index, frameworks)),
                        tuple(_examples([p for p in outcomes if not p.aids], plan, index)), planned, measured, aids_measured,
                        machines, tuple(problems))


def load_summary(corpus: Corpus, results_dir: Path, plan: DebugPlan | None = None) -> DebugSummary | None:
    """The summary of the debug records in `results_dir` for the corpus as it is now (records of
    mutants whose code changed since are ignored); None when there are none. `plan`: the corpus's plan
    when the caller already made it (the report's debugging stage), so it is planned once."""
    debug_set = DebugSet.load(results_dir)
    records = [r for f in debug_set.files for r in f.records]
    if not records:
        return None
    if plan is None:
        plan = plan_debug(corpus, cache_path=debug_set.folder / SITE_CACHE if debug_set.folder else None)
    current = {t.mutant_hash(m) for t in plan.targets for m in plan.mutants.get(t.key, [])} | {t.clean_hash for t in plan.targets}
    records = [r for r in records if r.mutant_hash in current and r.method_version == METHOD_VERSION]
    if not records:
        return None
    return summarize(plan, records, plan.problems + debug_set.problems)
