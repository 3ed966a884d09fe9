"""The normalized report object every renderer consumes. Plain frozen dataclasses, no behaviour.

REPORT_SCHEMA_VERSION changelog (results.json written by the report):
  1: first version.
  2: typed records: `pairs`; run records carry the result-file keys; comparisons for every framework pair.
  3: the claim protocol (docs/claims.md): `protocol_version`; claims carry their outcome, primary and
     like-for-like tests on the log scale, secondaries, MDE, robustness and replication; comparisons
     carry `log` (the log-ratio test); `categories` (where each framework wins).
  4: every static and run record carries `corpus` (the task corpus is "tasks"); static records carry
     `lookalikes`; `replication` (external corpora given with `--corpus NAME=DIR`, or null).
  5: `debugging` (planted-bug evidence from `easeval debug`, or null).
  6: speed per size (`speed[].size`, `threads`); per-task timings carry the process medians and their
     spread, the test is on the process medians with Holm across tasks (`comparison.pvalue_holm`);
     `size_changes`: per task, the speed ratio at two sizes and whether the faster side changes.
  7: `assertions`: the essay's assertions no claim decides, each with its descriptive size comparison on
     the tasks its tag marks (`row`, shaped like a `categories` row) or null where nothing is measurable.
  8: claim protocol 2: claims carry their decisive interval (`primary.ci_holm` at `primary.holm_level`,
     the family-wise level), robustness checks `outcome_changed`, `family_bootstrap_share`, `families`;
     category rows carry `interval` at one `confidence`; `task_set`: the confirmatory (frozen) tasks the
     claims used, the tasks added or changed since (their own set), or `exploratory` with no frozen set;
     `template_reuse`: same-framework files of different tasks sharing many lines, and the families;
     `documentation`: the installed documentation of the APIs the corpus calls (`easeval docs`), or null.
  9: `pending`: the stages still being measured when this version of the report was written (the main
     job rewrites the report after each stage; empty in the final one; "(interrupted)" after Ctrl-C);
     claims carry the marks `pending` (their evidence is still being measured) and `disturbed` (more
     than a tenth of their timings were taken under load: claims/disturbed_timings.py).
     `cross_backend`: per multi-backend framework (Keras), its static comparisons with every other primary,
     per backend its speed and first-call latency against that backend's own primary, and its portability;
     run records and failures carry `backend`. Keras is in none of the other comparisons or claims.
     Added later without a bump (optional, empty where unused): claims carry `primary_figure` and
     `units_figure`, the one-screen view's figures for a claim no ratio test decides (claim 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from evaluator.analysis.template_reuse import TemplateReuse
from evaluator.base.metric_registry import Metric
from evaluator.results import Measurement
from evaluator.base.stats import LogRatioTest, PairedComparison, RatioEstimate, TimingComparison

if TYPE_CHECKING:
    from evaluator.debugging.debug_summary import DebugSummary

REPORT_SCHEMA_VERSION = 9
# The name of the task corpus (tasks/) among the corpora of a report; `--corpus` cannot take it.
MAIN_CORPUS = "tasks"


@dataclass(frozen=True)
class TaskSummary:
    task_id: str
    title: str
    category: str | None
    tags: tuple[str, ...]
    implementations: tuple[str, ...]               # implementation keys
    references: dict[str, tuple[str, ...]]         # framework -> cited guides
    authorship: str = "team"                       # "blind": each side written from the spec alone (task.toml)


@dataclass(frozen=True)
class RunEnvironment:
    """The environment of one result file (machine and run), in the report's terms."""

    machine: str
    cpu: str
    gpu: str | None
    python: str
    framework_versions: dict[str, str | None]
    import_seconds: dict[str, float]
    threads: Any
    easeval_version: str
    corpus_revision: str
    result_file: str


@dataclass(frozen=True)
class Failure:
    """A measurement or an analysis that did not end ok."""

    task: str
    impl_key: str
    framework: str
    device: str
    status: str
    error: str | None
    backend: str | None = None       # the backend a multi-backend framework (Keras) ran on


@dataclass(frozen=True)
class StaticRecord:
    """Static metrics of one implementation file (glue excluded)."""

    task_id: str
    impl_key: str
    framework: str
    variant: str | None
    path: str
    metrics: dict[str, float]
    apis: dict[str, int]             # resolved framework API -> references
    glue_lines_excluded: int = 0
    error: str | None = None
    corpus: str = MAIN_CORPUS        # the corpus the file belongs to
    lookalikes: dict[str, int] = field(default_factory=dict)  # framework-looking imports left unresolved -> references


@dataclass(frozen=True)
class MetricComparison:
    """a against b on one metric, paired by task."""

    metric: Metric
    a_key: str
    b_key: str
    tasks: tuple[str, ...]
    a_values: tuple[float, ...]
    b_values: tuple[float, ...]
    result: PairedComparison         # on raw differences, as before the protocol (kept for comparison)
    log: LogRatioTest | None = None  # on per-task log ratios: what the tables show (Holm within the family)


@dataclass(frozen=True)
class TaskTiming:
    """One task's steady-state time on both sides: medians of the process medians, the IQR within
    processes (pooled samples), the spread between processes, and the test on the process medians."""

    task_id: str
    a_median_s: float
    b_median_s: float
    a_iqr_s: float
    b_iqr_s: float
    comparison: TimingComparison     # on the process medians, Holm across the comparison's tasks
    a_process_medians_s: tuple[float, ...] = ()
    b_process_medians_s: tuple[float, ...] = ()
    a_spread: float | None = None    # (largest - smallest process median) / median; None below 2 processes
    b_spread: float | None = None


@dataclass(frozen=True)
class SpeedComparison:
    """Steady-state speed of a against b on one machine and device (never pooled across them)."""

    machine: str
    device: str
    a_key: str
    b_key: str
    tasks: tuple[TaskTiming, ...]
    overall: RatioEstimate           # geometric mean over tasks of median(a) / median(b)
    first_call: MetricComparison | None = None
    peak_memory: MetricComparison | None = None
    setting: str = ""                # thread count and size: runs that differ in them are not pooled
    size: str = "small"
    threads: int | None = None


@dataclass(frozen=True)
class SizeChange:
    """One task's steady-state ratio a/b at a smaller and a larger size of one machine, device and
    thread count: does the faster side change when kernels, not per-op overhead, dominate?"""

    machine: str
    device: str
    a_key: str
    b_key: str
    threads: int | None
    task_id: str
    smaller: str                     # size names, e.g. "small" and "medium"
    larger: str
    smaller_ratio: float | None
    larger_ratio: float | None
    smaller_verdict: str
    larger_verdict: str

    @property
    def changes(self) -> bool | None:
        """Whether the point ratios fall on different sides of 1; None without both ratios."""
        if self.smaller_ratio is None or self.larger_ratio is None:
            return None
        return (self.smaller_ratio < 1) != (self.larger_ratio < 1)

    @property
    def changes_significantly(self) -> bool:
        """Significant (after Holm) at both sizes, in opposite directions."""
        significant = ("a_higher", "b_higher")
        return (self.smaller_verdict in significant and self.larger_verdict in significant
                and self.smaller_verdict != self.larger_verdict)


@dataclass(frozen=True)
class CompiledTask:
    task: str
    variant_median_s: float
    eager_median_s: float
    ratio: float
    variant_first_call_s: float
    eager_first_call_s: float


@dataclass(frozen=True)
class CompiledSpeedup:
    """Steady-state time of one compiled variant over its eager primary, per machine and device."""

    machine: str
    device: str
    setting: str
    variant_key: str
    framework: str
    tasks: tuple[CompiledTask, ...]
    overall: RatioEstimate
    size: str = "small"


@dataclass(frozen=True)
class PairSummary:
    """One pair of primary frameworks: how many tasks they share and whether that can decide anything."""

    a_key: str
    b_key: str
    tasks: int
    decidable: bool
    note: str = ""     # why not, and how many tasks it would take


@dataclass(frozen=True)
class PairedEvidence:
    """Per-task values of one metric for a and b from outside the static analysis and the runner
    (the debugging evidence of claim 8), ready for a paired test on tasks."""

    metric: str
    a_key: str
    b_key: str
    tasks: tuple[str, ...]
    a_values: tuple[float, ...]
    b_values: tuple[float, ...]


@dataclass(frozen=True)
class ClaimTest:
    """One metric of a claim, a against b paired by unit (a task; a task and framework for compiled
    variants), on the log scale."""

    metric: Metric
    a_key: str
    b_key: str
    comparison: str                  # "as written" or "like for like"
    units: tuple[str, ...]
    a_impls: tuple[str, ...]         # the implementation each unit used on each side
    b_impls: tuple[str, ...]
    a_values: tuple[float, ...]
    b_values: tuple[float, ...]
    result: LogRatioTest
    holm_level: float | None = None  # the family-wise level: protocol 1 the test's Holm step, 2 Bonferroni (decisive)
    ci_holm: tuple[float, float] | None = None
    ci_holm_level: float | None = None       # the confidence those order statistics achieve
    bootstrap: RatioEstimate | None = None   # geometric mean of the offset ratios, BCa CI: a secondary interval


@dataclass(frozen=True)
class ClaimOutcome:
    """The outcome of a claim's primary test under the protocol's decision rule (outcomes.py)."""

    outcome: str                     # meaningful difference | trivial difference | equivalent | ... | not measured
    favours: str | None              # the key the difference favours (easier, faster), if any
    verdict: str                     # claim-relative: supported | contradicted | undecided | not measured
    reason: str = ""                 # why, in words, for outcomes without a direction


@dataclass(frozen=True)
class RobustnessCheck:
    kind: str                        # leave-one-task-out, leave-one-category-out, metric swap, delta, zeros
    label: str                       # e.g. "without early_stopping_checkpoint"
    outcome: ClaimOutcome
    flipped: bool                    # the claim-relative verdict differs from the claim's
    outcome_changed: bool = False    # same verdict, but another outcome (trivial -> equivalent) or side


@dataclass(frozen=True)
class Robustness:
    checks: tuple[RobustnessCheck, ...]
    bootstrap_share: float | None    # share of task-bootstrap resamples giving the claim's verdict
    bootstrap_resamples: int
    fragile: bool
    flips: tuple[str, ...]           # "without early_stopping_checkpoint: inconclusive", ...
    family_bootstrap_share: float | None = None   # the same over resamples of whole families of similar tasks
    families: int | None = None      # families among the claim's tasks (protocol 2), None when none declared


@dataclass(frozen=True)
class CorpusOutcome:
    """One claim's outcome on one corpus (the task corpus is "tasks")."""

    corpus: str
    outcome: ClaimOutcome
    n: int
    ratio: float | None
    ci: tuple[float, float] | None
    pvalue_holm: float | None


@dataclass(frozen=True)
class TaskSet:
    """The tasks the claims were decided on, against the frozen confirmatory set of the protocol."""

    label: str                       # "confirmatory" | "exploratory" (no task matches the frozen set)
    protocol_version: str
    frozen_at: str                   # when the set was frozen ("" when none)
    frozen: int                      # tasks in the frozen set
    used: tuple[str, ...]            # tasks the claims used: frozen and unchanged (all tasks when exploratory)
    added: tuple[str, ...] = ()      # present, not in the frozen set: their own set, beside the confirmatory one
    changed: tuple[str, ...] = ()    # in the frozen set, with a different code hash now: in the added set too
    missing: tuple[str, ...] = ()    # in the frozen set, absent here


@dataclass(frozen=True)
class Claim:
    number: int
    statement: str
    decided_by: str                  # the protocol's rule for it, in words
    verdict: str                     # supported | contradicted | undecided | not measured (from `outcome`)
    evidence: tuple[str, ...]        # one line per number behind the verdict
    key: str = ""
    construct: str = ""
    protocol_version: str = ""
    outcome: ClaimOutcome | None = None
    comparison: str = ""             # which comparison the outcome states, in full
    comparison_short: str = ""       # the same in a few words, e.g. "PyTorch core vs TensorFlow as written (Keras fit on 5/29)"
    primary_metric: str = ""         # the protocol's primary metric, also when it could not be measured
    primary: ClaimTest | None = None
    primary_why: str = ""
    like_for_like: ClaimTest | None = None
    like_for_like_outcome: ClaimOutcome | None = None
    like_for_like_comparison: str = ""
    secondaries: tuple[ClaimTest, ...] = ()   # exploratory (Holm within the claim's secondaries)
    key_secondary: str = ""
    delta: float = 1.25
    delta_why: str = ""
    mde: float | None = None         # minimal detectable ratio at this n and the test's Holm step
    min_tasks: int = 0
    tasks_needed: int | None = None  # for a claim not decidable: the fewest tasks that could decide it
    robustness: Robustness | None = None
    replication: tuple[CorpusOutcome, ...] = ()
    contested: bool = False          # direction differs between corpora
    marks: tuple[str, ...] = ()      # "not decidable", "fragile", "contested": for the one-screen view
    pair_evidence: Any = None        # claim 8: the planted-bug pairs it was decided on (claim_evidence.Claim8Evidence)
    primary_figure: str = ""         # claim 8: its estimate and decisive interval as the one-screen view prints them
    units_figure: str = ""           # claim 8: "295 pairs / 23 discordant" (the other claims: tasks / non-zero)


@dataclass(frozen=True)
class CategoryRow:
    """Where each framework wins: one category, the claims' main metric a against b."""

    category: str
    tasks: int
    test: ClaimTest | None           # None when no task of the category has both sides
    descriptive: bool                # too few tasks to test: ratio and interval are descriptive
    like_for_like_ratio: float | None = None
    interval: tuple[float, float] | None = None   # protocol 2: at `confidence` for every row (interpolated)
    confidence: float | None = None


@dataclass(frozen=True)
class AssertionRow:
    """An assertion of the essay that no claim decides: described on the tasks its tag marks, or not measured."""

    number: int                      # its row in ESSAY_CLAIMS.md
    statement: str
    tag: str                         # "" when nothing is measurable from code
    construct: str
    row: CategoryRow | None          # claim 1's primary metric on the tagged tasks (category = the tag)
    figures: str = ""                # descriptive figures from elsewhere (assertion 12: the API documentation)


@dataclass(frozen=True)
class CrossBackend:
    """One multi-backend framework's files (keras_impl.py) against the frameworks they run on.

    Its runs are keyed `<impl key>@<backend>` ("keras@torch") in `speed`, whose b side is the backend's
    own primary ("torch"): Keras on PyTorch against torch_impl.py on the same tasks, machine and setting.
    """

    framework: str
    backends: tuple[str, ...]                  # backends with a measurement, in the adapter's order
    static: tuple[MetricComparison, ...]       # the framework (a) against every other primary framework (b)
    speed: tuple[SpeedComparison, ...]         # per backend and setting: a = "<framework>@<backend>", b = the backend
    files: tuple[str, ...]                     # tasks whose file was measured on at least one backend
    portable: tuple[str, ...]                  # those correct on every backend they ran on (skips aside)
    failures: tuple[Failure, ...]              # every measurement not ok and not skipped, with its message
    skipped: tuple[str, ...] = ()              # backends skipped (not installed), with the reason


@dataclass(frozen=True)
class Report:
    schema_version: int
    generated_at: str
    easeval_version: str
    command: str
    corpus_root: str
    corpus_revision: str
    static_only: bool
    frameworks: tuple[str, ...]                  # primary frameworks, in the order their adapters declare
    display_names: dict[str, str]                # implementation key -> name for a reader
    tasks: tuple[TaskSummary, ...]
    static_records: tuple[StaticRecord, ...]
    run_records: tuple[Measurement, ...]         # every measurement, raw samples included
    environments: tuple[RunEnvironment, ...]     # one per result file (machine and run)
    pairs: tuple[PairSummary, ...]               # every pair of primary frameworks that share tasks
    static_comparisons: tuple[MetricComparison, ...]   # every pair, every compared metric
    variant_comparisons: tuple[MetricComparison, ...]  # variants against their own primary
    speed: tuple[SpeedComparison, ...]
    compiled_speedups: tuple[CompiledSpeedup, ...]
    claims: tuple[Claim, ...]
    headline: tuple[str, ...]
    failures: tuple[Failure, ...]
    threats: tuple[str, ...]
    problems: tuple[str, ...] = field(default=())
    protocol_version: str = ""                   # of the claim protocol (docs/claims.md) the claims follow
    categories: tuple[CategoryRow, ...] = ()     # where each framework wins, per category
    assertions: tuple[AssertionRow, ...] = ()    # the essay's assertions no claim decides, described
    replication: Any = None          # claims/replication.py `Replication` when --corpus was given, else None
    debugging: DebugSummary | None = None       # planted-bug evidence (easeval debug), when recorded
    size_changes: tuple[SizeChange, ...] = field(default=())
    task_set: TaskSet | None = None              # protocol 2: which tasks the claims are confirmatory on
    template_reuse: tuple[TemplateReuse, ...] = ()   # same-framework files of different tasks sharing lines
    documentation: Any = None        # apidocs DocsCoverage: the installed docs of the APIs the corpus calls, or None
    pending: tuple[str, ...] = ()    # stages still being measured when this version was written (execution, ...)
    cross_backend: tuple[CrossBackend, ...] = ()   # Keras across backends (kept out of every other comparison)
