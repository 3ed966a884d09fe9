"""build_report: everything measured, turned into the one normalized Report. Pure: no I/O."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from evaluator import __version__
from evaluator.corpus.discovery import Corpus
from evaluator.frameworks import adapter_names, implementation_name
from evaluator.claims.metric_comparisons import (
    compare_speed, compare_static, compiled_speedups, framework_pairs, report_order, size_changes, variant_pairs,
)
from evaluator.claims.essay_assertions import assertion_rows
from evaluator.claims.claim_verdicts import category_rows, evaluate_claims, with_replication
from evaluator.claims.replication import ExternalCorpus, build_replication
from evaluator.analysis.template_reuse import TemplateReuse
from evaluator.claims.frozen_set import CONFIRMATORY
from evaluator.claims.report_model import (
    REPORT_SCHEMA_VERSION, Claim, Failure, PairSummary, Report, RunEnvironment, StaticRecord, TaskSet,
    TaskSummary,
)
from evaluator.claims.claim_outcomes import outcome_words
from evaluator.claims.cross_backend import cross_backend_summaries, multi_backend_frameworks, run_key_names
from evaluator.claims.claim_protocol import Protocol, load_protocol
from evaluator.claims.disturbed_timings import mark_disturbed, mark_pending, noisy_host, shown_verdict
from evaluator.claims.number_words import fmt_ci, fmt_num
from evaluator.results import Measurement
from evaluator.base.stats import min_tasks_for


def task_summaries(corpus: Corpus) -> list[TaskSummary]:
    return [TaskSummary(
        task_id=t.task_id, title=t.metadata.title if t.metadata else t.task_id,
        category=t.metadata.category if t.metadata else None, tags=tuple(t.metadata.tags) if t.metadata else (),
        implementations=tuple(i.key for i in t.implementations),
        references={k: tuple(v) for k, v in t.metadata.references.items()} if t.metadata else {},
        authorship=t.metadata.authorship if t.metadata else "team",
    ) for t in corpus.tasks]


BLIND, TEAM = "blind-pairs", "team-written"


def authorship_sets(records: Sequence[StaticRecord], tasks: Sequence[TaskSummary]) -> list[ExternalCorpus]:
    """The blind pairs (each side written from the spec alone) and the team-written rest, as two sets
    decided beside the claims' own, like replication corpora; none when the corpus has no blind pair."""
    blind = {t.task_id for t in tasks if t.authorship == "blind"}
    if not blind:
        return []
    return [task_subset(name, "tasks", records, tasks, members)
            for name, members in ((BLIND, blind), (TEAM, {t.task_id for t in tasks} - blind))]


def task_subset(name: str, root: str, records: Sequence[StaticRecord], tasks: Sequence[TaskSummary],
                members: set[str]) -> ExternalCorpus:
    """Some tasks of the task corpus as a set of their own, decided beside the claims like a replication corpus."""
    return ExternalCorpus(name, root, tuple(dataclasses.replace(r, corpus=name) for r in records if r.task_id in members),
                          tasks=tuple(t for t in tasks if t.task_id in members))


def display_names(keys: Iterable[str] = ()) -> dict[str, str]:
    """Names for a reader, from the adapters' declarations: every framework, and every key given."""
    return {key: implementation_name(key) for key in dict.fromkeys([*adapter_names(), *keys])}


def pair_summaries(static: list, pairs: list[tuple[str, str]], alpha: float = 0.05) -> list[PairSummary]:
    """Whether each pair has enough shared tasks for its comparisons to reach significance after Holm."""
    out = []
    for a, b in pairs:
        mine = [c for c in static if (c.a_key, c.b_key) == (a, b)]
        n = max((c.result.n for c in mine), default=0)
        family = max((sum(1 for d in mine if d.metric.family == c.metric.family) for c in mine), default=1)
        need = min_tasks_for(alpha / family)
        decidable = any(c.result.min_attainable_p_holm is not None and c.result.min_attainable_p_holm <= alpha for c in mine)
        note = "" if decidable else (f"{n} shared task{'s' if n != 1 else ''}, so no difference can reach significance: "
                                     f"a two-sided Wilcoxon test with Holm over a family of {family} metrics needs at least "
                                     f"{need} tasks with non-zero differences; not decidable yet")
        out.append(PairSummary(a, b, n, decidable, note))
    return out


def _threats(report_tasks: int, run_records: list[Measurement], static_only: bool, names: dict[str, str],
             protocol_version: str, family_size: int) -> list[str]:
    threats = [
        f"The corpus has {report_tasks} tasks written by the easeval authors; they follow each framework's official "
        "guides (cited per task), but what counts as idiomatic is a judgement, and the task selection shapes every verdict.",
        "One implementation per task and framework: there is no implementer variance. A second author's version of "
        "the same task could differ by more than the margins; external corpora (replication) are the check on this.",
        "Abstraction level: where TensorFlow's guides teach Keras compile/fit, its primary hands the training loop to "
        "Keras while PyTorch's writes it. Claims on code size are therefore shown as written and like for like "
        "(core level on both sides, where a task has it); each outcome names the comparison it states.",
        "Static metrics measure the code a user writes, not the time it takes to learn or debug it; they are proxies for ease of use.",
        "Metric-tool artefacts: radon's Halstead counts no calls (Keras code made of calls has volume 0 and "
        "maintainability index 100), and cyclomatic complexity adds 1 per function (decision_points removes it). "
        "Halstead and MI never decide a claim; they are exploratory.",
        "Correlated metrics: SLOC, logical lines and tokens measure one thing, and summed complexity rises with them; "
        "so each claim is decided by one primary metric, and the others are exploratory secondaries or robustness swaps.",
        "Harness-only glue (loading shared initial weights) is excluded from static metrics; the excluded line counts are listed.",
        "Wilcoxon tests treat tasks as independent draws; tasks in one category are related, so p-values may be "
        "optimistic (leave-one-category-out shows how much a verdict rests on one category).",
        *_protocol_threats(protocol_version, family_size),
        "Timings on a shared or small machine are noisy; the harness keeps every sample and reports IQRs, "
        "but small differences (a few percent) should not be read as real.",
        "Small CPU sizes favour low per-call overhead over kernel speed; the medium CPU size (PyTorch's run() about "
        "20 ms or more on one core) lets kernels count, and speed is reported at each size separately; GPU timings use "
        "the larger declared sizes.",
        "Each timing comes from independent processes (the unit of replication; repeats within one process are not "
        "independent); per-task tests use one median per process, so with 3 processes a side they detect only large "
        "or very consistent differences.",
        "Thread counts are set equal in every framework (intra-op threads), which may differ from each framework's default.",
    ]
    if not static_only:
        threats += _gpu_threats(run_records, names)
        loaded = [r.timing.others_cores for r in run_records if r.ok and r.timing and r.timing.others_cores is not None]
        busy = [x for x in loaded if x > 0.5]
        if busy:
            threats.append(f"{len(busy)} of {len(loaded)} timings were taken while other processes used more than half a "
                           f"CPU core (at most {max(busy):.1f} cores; column \"others' load\"): on a shared machine a "
                           "TensorFlow/Keras call's own CPU time grows with such load, a PyTorch call's much less, so those "
                           "timings favour PyTorch more than a quiet machine would.")
    if static_only:
        threats.append("Execution was not run for this report: no correctness, speed or memory evidence.")
    return threats


def _cross_backend_threats(cross, names: dict[str, str]) -> tuple[str, ...]:
    """What Keras across backends does and does not show (docs/claims.md, claim 3)."""
    if not cross:
        return ()
    return (
        "Keras across backends is descriptive and decides no claim (no claim of the protocol is about Keras). Keras on "
        "the PyTorch backend runs the same keras_impl.py as on TensorFlow: its code-size ratio against torch_impl.py "
        "is what Keras's high-level API saves over PyTorch as written, whatever the backend, and says nothing about "
        "TensorFlow itself; its speed against torch_impl.py is Keras's own overhead (layers, fit's data adapters and "
        "callbacks) on the same PyTorch kernels. It therefore separates Keras from TensorFlow: claim 3 (\"Keras makes "
        "TensorFlow simpler\") compares two styles of TensorFlow, and a Keras file that is as short on PyTorch shows "
        "the simplicity is Keras's, not TensorFlow's.",
        "The keras_impl.py files were written by the easeval authors after the claims were frozen, from the "
        "TensorFlow primaries (tf.keras made keras); they are one implementer's, and a task's Keras file is "
        "compared with files written earlier by others; in the blind tasks they are not blind.",
        "Keras files compile with jit_compile=False, the corpus's policy for Keras (so that no GPU run sets XLA "
        "against eager code): on the JAX backend Keras then runs op by op, while Keras's own default there is XLA, "
        "and jax_impl.py files use jax.jit; Keras-on-JAX times are eager JAX, not what a Keras-on-JAX user gets by "
        "default. gradient_accumulation's Keras file was left out for this reason (45 s per run on JAX at the "
        "small size, 240 s at the medium, its notes).",
    )


def _protocol_threats(protocol_version: str, family_size: int) -> list[str]:
    if protocol_version == "1":
        return [
            f"Holm corrects across the {family_size} primary tests of the claim protocol (one family, fixed by the "
            "protocol: a test that could not run counts as p = 1); the catalogue tables correct within each metric "
            "family and are exploratory. The equivalence part (90% interval inside the band) is not corrected.",
            f"The decision rules are those of claim protocol {protocol_version} (docs/claims.md), written after earlier "
            "versions of this report had shown the corpus's results: its margins and primary metrics were chosen knowing "
            "them, so these verdicts are not pre-registered. From protocol 1 on, rules change only with a new version.",
        ]
    return [
        f"Every claim is decided from one interval at the family-wise level: Bonferroni over the {family_size} tests of "
        f"the protocol, so each one-sided decision (supported, contradicted, equivalent) errs with probability at most "
        f"alpha / {family_size}; the catalogue tables correct within each metric family and are exploratory.",
        f"The decision rules are those of claim protocol {protocol_version} (docs/claims.md). Version 2 was written "
        "after version 1's results, and an independent recomputation of them, were known; it changes how verdicts are "
        "read, not the margins, and its confirmatory task set was frozen after corpus v3. These verdicts are not "
        "pre-registered in the strict sense; tasks added after the freeze are shown as their own set.",
        "Tasks share templates (same-framework files of different tasks sharing many lines): they are not independent "
        "evidence, so each claim is also checked leaving out each family of similar tasks and resampling whole families.",
    ]


def claim_headline(c: Claim, names: dict[str, str]) -> str:
    """One line per claim: verdict, outcome, the primary ratio against the margin, the comparison."""
    o = c.outcome
    line = f"{c.number}. {c.statement}: {shown_verdict(c)}"
    if o is None:
        return line + "."
    line += f" ({outcome_words(o, names)})"
    if c.primary is not None and not c.primary.result.reason:
        r = c.primary.result
        ci = fmt_ci(r.ci) if r.ci_level >= 0.95 - 1e-9 else f"{r.ci_level:.0%} interval {fmt_num(r.ci[0])} to {fmt_num(r.ci[1])}"
        if c.protocol_version != "1" and c.primary.ci_holm is not None and c.primary.holm_level is not None:
            ci = f"{c.primary.holm_level:.0%} interval {fmt_num(c.primary.ci_holm[0])} to {fmt_num(c.primary.ci_holm[1])}"
        line += f"; {c.primary.metric.name} ratio {fmt_num(r.ratio)}, {ci}, Δ = {c.delta:g}, MDE {fmt_num(c.mde)}, {r.n} tasks"
    if c.comparison:
        line += f"; {c.comparison}"
    if c.like_for_like_outcome is not None:
        line += f"; like for like: {outcome_words(c.like_for_like_outcome, names)}"
    if c.marks:
        line += f" [{', '.join(c.marks)}]"
    if o.reason and o.outcome in ("not decidable", "not measured"):
        line += f": {o.reason}"
    return line + "."


def _gpu_threats(run_records: list[Measurement], names: dict[str, str]) -> list[str]:
    """Per machine, the frameworks it measured that it did not measure on a GPU (say, TensorFlow on a
    GPU machine without a TensorFlow install)."""
    lines = []
    machines = sorted({r.machine or "unknown" for r in run_records})
    for machine in machines:
        mine = [r for r in run_records if (r.machine or "unknown") == machine]
        missing = sorted({r.framework for r in mine} - {r.framework for r in mine if r.ok and r.device == "cuda"})
        for framework in missing:
            display = names.get(framework, framework)
            where = "a GPU run there measured other frameworks only" if any(r.device == "cuda" for r in mine) else "CPU only"
            lines.append(f"{display} was not measured on a GPU on machine {machine} ({where})"
                         + (": its GPU path is correct by design and tested on CPU only (the GPU machines available "
                            "to easeval have no TensorFlow)." if framework == "tensorflow" else "."))
    return lines


def _speed_headline(speed, names) -> list[str]:
    """One line per speed comparison, naming its size, and per pair whether the faster side changes with size."""
    lines = []
    for s in speed:
        o = s.overall
        A, B = names.get(s.a_key, s.a_key), names.get(s.b_key, s.b_key)
        if o.ratio is None:
            continue
        faster, factor = (A, 1 / o.ratio) if o.ratio < 1 else (B, o.ratio)
        kind = {"small": " (overhead-dominated)", "medium": " (PyTorch run() >= ~20 ms)"}.get(s.size, "")
        lines.append(f"At the {s.size} size{kind}, on {s.device} ({s.machine}, {s.setting}), {faster} is {factor:.2f}x "
                     f"faster in steady state: geometric-mean time ratio {A}/{B} {fmt_num(o.ratio)}, {fmt_ci(o.ci)}, "
                     f"{o.n} tasks.")
    return lines


def _size_change_headline(changes, names) -> list[str]:
    lines = []
    groups: dict[tuple, list] = {}
    for c in changes:
        groups.setdefault((c.machine, c.device, c.a_key, c.b_key, c.smaller, c.larger), []).append(c)
    for (machine, device, a_key, b_key, smaller, larger), items in groups.items():
        decided = [c for c in items if c.changes is not None]
        flipped = [c.task_id for c in decided if c.changes]
        significant = [c.task_id for c in decided if c.changes_significantly]
        A, B = names.get(a_key, a_key), names.get(b_key, b_key)
        lines.append(f"{A} vs {B} from the {smaller} to the {larger} size ({machine}, {device}): the faster side changes "
                     f"in {len(flipped)} of {len(decided)} tasks" + (f" ({', '.join(flipped[:8])}"
                                                                     f"{', ...' if len(flipped) > 8 else ''})" if flipped else "")
                     + f"; significantly at both sizes in {len(significant)}.")
    return lines


def task_set_line(task_set: TaskSet | None) -> str | None:
    """Which tasks the claims were decided on, in one sentence, or None before any freeze (protocol 1)."""
    if task_set is None:
        return None
    if task_set.label != CONFIRMATORY:
        why = ("no task of this corpus is in its frozen confirmatory set, unchanged" if task_set.frozen
               else "the protocol has no frozen confirmatory set")
        return f"Exploratory verdicts: {why} (claim protocol {task_set.protocol_version})."
    line = (f"Confirmatory verdicts on the {len(task_set.used)} tasks of claim protocol {task_set.protocol_version}'s "
            f"frozen set (frozen {task_set.frozen_at})")
    since = len(task_set.added) + len(task_set.changed)
    if since:
        line += (f"; {since} task(s) added or changed since are decided as their own set "
                 f"({', '.join(task_set.added + task_set.changed)})")
    if task_set.missing:
        line += f"; {len(task_set.missing)} frozen task(s) absent here"
    return line + "."


def _headline(claims: Sequence[Claim], pairs: list[PairSummary], speed, run_records: list[Measurement], names,
              changes=(), task_set: TaskSet | None = None) -> list[str]:
    lines = [claim_headline(c, names) for c in claims]
    if (scope := task_set_line(task_set)) is not None:
        lines.append(scope)
    for pair in pairs:
        if not pair.decidable:
            A, B = names.get(pair.a_key, pair.a_key), names.get(pair.b_key, pair.b_key)
            lines.append(f"{A} vs {B}: {pair.note}.")
    lines += _speed_headline(speed, names)
    lines += _size_change_headline(changes, names)
    if run_records:
        ok = sum(r.ok for r in run_records)
        lines.append(f"{ok} of {len(run_records)} measured implementations ran correctly against the NumPy reference.")
        if (noise := noisy_host(run_records)) is not None:
            lines.append(noise)
    return lines


def build_report(
    corpus: Corpus, static_records: list[StaticRecord], run_records: list[Measurement],
    environments: list[RunEnvironment], *, command: str, corpus_revision: str, static_only: bool,
    problems: list[str] | None = None, generated_at: str | None = None,
    external: Iterable[ExternalCorpus] = (), debugging: Sequence[Any] = (),
    protocol: Protocol | None = None, task_set: TaskSet | None = None, families: Mapping[str, str] | None = None,
    template_reuse: Sequence[TemplateReuse] = (), documentation: Any = None, pending: Sequence[str] = (),
) -> Report:
    """All comparisons, claims and tables for the given evidence.

    `external`: imported corpora (static records and provenance); every claim then shows its outcome per
    corpus, is contested where their directions differ, and a Replication section lays them side by side.
    `debugging`: the planted-bug pairs for claim 8 (debug_summary.PairOutcome); without them that claim is not measured.
    `protocol`: the claim protocol (default: the current version). `task_set`: which tasks are the frozen
    confirmatory set (frozen_set.task_set); the claims use only those, and the tasks added or changed
    since are decided as their own set beside them (a replication corpus). `families`: task -> family of
    similar tasks (template reuse), for protocol 2's robustness checks.
    """
    external = list(external)
    protocol = protocol or load_protocol()
    names = display_names({r.impl_key for r in static_records} | {r.impl_key for r in run_records}
                          | {r.impl_key for c in external for r in c.records if r.impl_key}) | run_key_names(run_records)
    # Keras (a multi-backend framework) has its own section and no claim: it is kept out of every other
    # comparison, and its three runs of one file never meet the single-run pairings below.
    cross = cross_backend_summaries(static_records, run_records)
    all_static, all_runs = static_records, run_records
    multi = set(multi_backend_frameworks())
    static_records = [r for r in static_records if r.framework not in multi]
    run_records = [r for r in run_records if r.framework not in multi]
    frameworks = report_order(r.framework for r in static_records if r.variant is None and r.error is None)
    pairs = framework_pairs(static_records)
    static = [c for a, b in pairs for c in compare_static(static_records, a, b)]
    speed = [s for a, b in pairs for s in compare_speed(run_records, a, b)]
    summaries = pair_summaries(static, pairs)
    variants = [c for primary, variant in variant_pairs(static_records) for c in compare_static(static_records, primary, variant)]
    compiled = compiled_speedups(run_records)
    changes = size_changes(speed)
    tasks = task_summaries(corpus)
    claim_records, claim_runs, claim_debugging, claim_tasks = static_records, run_records, debugging, tasks
    if task_set is not None and task_set.label == CONFIRMATORY:
        used = set(task_set.used)
        claim_records = [r for r in static_records if r.task_id in used]
        claim_runs = [r for r in run_records if r.task in used]
        claim_debugging = [p for p in debugging if p.task in used]
        claim_tasks = [t for t in tasks if t.task_id in used]
        since = set(task_set.added) | set(task_set.changed)
        if since:   # decided as their own set, beside the confirmatory one, never pooled
            external = [task_subset(added_since_name(protocol.version), str(corpus.root), static_records, tasks,
                                    since)] + external
    external = external + authorship_sets(claim_records, claim_tasks)
    claims = evaluate_claims(records=claim_records, tasks=claim_tasks, names=names, run_records=claim_runs,
                             environments=environments, debugging=claim_debugging, protocol=protocol, families=families)
    if external:
        claims = with_replication(claims, {c.name: evaluate_claims(records=list(c.records), tasks=c.tasks, names=names,
                                                                   protocol=protocol, with_robustness=False)
                                           for c in external})
    if task_set is not None and task_set.label != CONFIRMATORY:
        claims = [dataclasses.replace(c, marks=c.marks + ("exploratory",)) for c in claims]
    claims = mark_pending(mark_disturbed(claims, claim_runs), pending)
    a_key, b_key = pairs[0] if pairs else (frameworks + ("torch", "tensorflow"))[:2]
    replication = build_replication(claim_records, claim_tasks, external, names, a_key, b_key, main_root=str(corpus.root),
                                    main_revision=corpus_revision, protocol=protocol) if external else None
    failures = [Failure(r.task, r.impl_key, r.framework, r.device, r.status, r.error, r.backend) for r in all_runs if not r.ok]
    failures += [Failure(r.task_id, r.impl_key, r.framework, "static analysis", "error", r.error)
                 for r in all_static if r.error]
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        generated_at=generated_at or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        easeval_version=__version__, command=command, corpus_root=str(corpus.root), corpus_revision=corpus_revision,
        static_only=static_only, frameworks=frameworks, display_names=names, tasks=tuple(tasks),
        static_records=tuple(all_static), run_records=tuple(all_runs), environments=tuple(environments),
        pairs=tuple(summaries), static_comparisons=tuple(static), variant_comparisons=tuple(variants), speed=tuple(speed),
        compiled_speedups=tuple(compiled), claims=tuple(claims),
        headline=tuple(_headline(claims, summaries, speed, all_runs, names, changes, task_set)),
        failures=tuple(failures),
        threats=tuple(_threats(len(tasks), all_runs, static_only, names, protocol.version, len(protocol.family())))
                      + _cross_backend_threats(cross, names),
        problems=tuple(problems or ()), protocol_version=protocol.version,
        categories=tuple(category_rows(static_records, tasks, protocol)), replication=replication,
        assertions=assertion_rows(static_records, tasks, protocol, documentation, names),
        size_changes=tuple(changes), task_set=task_set, template_reuse=tuple(template_reuse), documentation=documentation,
        pending=tuple(pending),
        cross_backend=cross,
    )


def added_since_name(version: str) -> str:
    """The name of the set of tasks added or changed since the protocol's freeze, among the corpora."""
    return f"added-since-v{version}"

