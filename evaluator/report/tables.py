"""Report content as renderer-neutral tables: (title, header, rows). Markdown and HTML both use it,
so the two formats can never disagree about a number."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median
from typing import Any

from evaluator.frameworks import ordered_frameworks, split_impl_key
from evaluator.claims.report_model import Claim, MetricComparison, Report
from evaluator.claims.disturbed_timings import shown_verdict
from evaluator.claims.claim_outcomes import outcome_words
from evaluator.results import Timing
from evaluator.claims.number_words import fmt_ci, fmt_num, fmt_p, log_verdict

VERDICT_WORDS = {"a_higher": "{a} higher", "b_higher": "{b} higher",
                 "no_significant_difference": "no significant difference", "inconclusive": "inconclusive"}


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def name(report: Report, key: str) -> str:
    framework, _, variant = key.partition("_")
    base = report.display_names.get(framework, framework)
    if key in report.display_names:
        return report.display_names[key]
    return f"{base} ({variant})" if variant else base


def run_name(report: Report, impl_key: str, backend: str | None) -> str:
    """One run of an implementation: 'PyTorch', or 'Keras (torch backend)' for a multi-backend file's run."""
    return f"{name(report, impl_key)} ({backend} backend)" if backend else name(report, impl_key)


def comparison_table(report: Report, title: str, comparisons: tuple[MetricComparison, ...] | list[MetricComparison]) -> Table:
    """The exploratory catalogue: every compared metric on the log scale (estimate, interval and test
    read from the same per-task log ratios), Holm within each metric family."""
    rows = []
    for c in comparisons:
        r = c.log
        verdict = VERDICT_WORDS[log_verdict(c)].format(a=name(report, c.a_key), b=name(report, c.b_key))
        if r is None or r.reason:
            stats = ("n/a",) * 5
        else:
            stats = (fmt_num(r.ratio), _interval(r.ci, r.ci_level), fmt_p(r.pvalue), fmt_p(r.pvalue_holm),
                     fmt_num(r.rank_biserial, 2))
        n = f"{r.n} / {r.n_nonzero}" if r is not None else str(c.result.n)
        rows.append((c.metric.label, c.metric.family, f"{fmt_num(median(c.a_values))}", f"{fmt_num(median(c.b_values))}",
                     *stats, n, verdict))
    a = name(report, comparisons[0].a_key) if comparisons else "a"
    b = name(report, comparisons[0].b_key) if comparisons else "b"
    return Table(title, ("metric", "family", f"median {a}", f"median {b}", f"ratio {a}/{b}", "95% CI", "p", "p (Holm)",
                         "r (rank-biserial)", "tasks / non-zero", "verdict (exploratory)"), tuple(rows),
                 "Exploratory: claims are decided by the claim protocol only. Ratio: exp of the Hodges-Lehmann estimate "
                 "of the per-task log ratios log((a + c) / (b + c)), c = 1 for counts, 0 otherwise; 95% CI: exact "
                 "Walsh-average interval of the same log ratios. p: two-sided Wilcoxon signed-rank test of the log "
                 "ratios (zeros dropped), Holm within each metric family. r > 0 when a tends to exceed b.")


def _interval(ci: tuple[float, float] | None, achieved: float | None = None, requested: float = 0.95) -> str:
    """'1.15 to 1.52', with the confidence actually achieved where few tasks cannot reach the requested one."""
    if ci is None:
        return "n/a"
    text = f"{fmt_num(ci[0])} to {fmt_num(ci[1])}"
    return text + (f" (only {achieved:.0%})" if achieved is not None and achieved < requested - 1e-9 else "")


def _v2(report: Report) -> bool:
    """Claims decided by protocol 2's interval rule (and later versions)."""
    return report.protocol_version not in ("", "1")


def task_set_table(report: Report) -> Table | None:
    """Which tasks the claims were decided on: the frozen confirmatory set, or exploratory."""
    ts = report.task_set
    if ts is None:
        return None
    rows = [("label", ts.label), ("claim protocol", ts.protocol_version), ("frozen", ts.frozen_at or "never"),
            ("tasks in the frozen set", str(ts.frozen)), ("frozen tasks present, unchanged (the claims use them; a protocol exclusion such as `distributed` still applies)", str(len(ts.used))),
            ("added since (their own set)", ", ".join(ts.added) or "-"),
            ("changed since (their own set)", ", ".join(ts.changed) or "-"), ("frozen but absent", ", ".join(ts.missing) or "-")]
    return Table("The task set", ("", ""), tuple(rows),
                 "Confirmatory verdicts use exactly the frozen tasks, unchanged (code hashes of spec and implementations); "
                 "tasks added or changed since are decided as their own set, in the Replication section, never pooled.")


def template_reuse_table(report: Report) -> Table | None:
    """Same-framework files of different tasks that share many lines: not independent evidence."""
    if not report.template_reuse:
        return None
    rows = tuple((name(report, r.framework), r.task_a, r.task_b, f"{r.share:.0%}") for r in report.template_reuse)
    return Table("Template reuse: files of one framework, in different tasks, sharing lines",
                 ("framework", "task", "task", "shared lines"), rows,
                 "Share of the shorter file's code lines the other has too (boilerplate lines, found in 10% of a "
                 "framework's files or more, ignored). Tasks joined at the protocol's family threshold form a family: "
                 "each claim is also checked without each family and with whole families resampled.")


def _marks(c: Claim) -> str:
    return ", ".join(c.marks) or "-"


def glance_table(report: Report) -> Table:
    """One row per claim: what a decision-maker reads first."""
    names = report.display_names
    rows = []
    for c in report.claims:
        o = c.outcome
        t = c.primary
        if t is not None and not t.result.reason and _v2(report) and t.ci_holm is not None:
            ratio = f"{t.metric.name} {fmt_num(t.result.ratio)} ({_interval(t.ci_holm, t.ci_holm_level, t.holm_level)})"
        elif t is not None and not t.result.reason:
            ratio = f"{t.metric.name} {fmt_num(t.result.ratio)} ({_interval(t.result.ci, t.result.ci_level)})"
        elif c.primary_figure:   # decided by its own rule, not a ratio test (claim 8: discordant pairs)
            ratio = f"{c.primary_metric}: {c.primary_figure}"
        else:
            ratio = f"{c.primary_metric}: n/a"
        lfl = outcome_words(c.like_for_like_outcome, names) if c.like_for_like_outcome else "-"
        rows.append((str(c.number), c.statement, shown_verdict(c), outcome_words(o, names) if o else "-", ratio,
                     c.comparison_short or "-", f"{c.delta:g}", fmt_num(c.mde),
                     f"{t.result.n} / {t.result.n_nonzero}" if t is not None else (c.units_figure or "0"),
                     lfl, _marks(c)))
    if _v2(report):
        level = next((c.primary.holm_level for c in report.claims if c.primary and c.primary.holm_level), 0.99)
        return Table("", ("#", "claim", "verdict", "outcome (descriptive)", f"primary metric: ratio ({level:.0%} CI)",
                          "comparison", "Δ", "MDE", "tasks / non-zero", "like for like", "marks"), tuple(rows),
                     f"Claim protocol {report.protocol_version}: one primary metric per claim; ratio = first/second, exp "
                     "of the Hodges-Lehmann estimate of the per-task log ratios (claim 7: the ratio of the deployment "
                     f"tasks' ratios to the others'), with the interval at the family-wise level ({level:.0%}: Bonferroni "
                     "over the protocol's tests) that decides the verdict against Δ, the smallest effect of interest; "
                     "MDE = smallest ratio this many tasks detect with 80% power at that level (simulated exact test); "
                     "like for like = the same claim with both sides at the core abstraction level (no Keras fit).")
    return Table("", ("#", "claim", "verdict", "outcome", "primary metric: ratio (95% CI)", "comparison", "Δ", "MDE",
                      "tasks / non-zero", "like for like", "marks"), tuple(rows),
                 f"Claim protocol {report.protocol_version}: one primary metric per claim; ratio = first/second, exp of "
                 "the Hodges-Lehmann estimate of the per-task log ratios, with its exact 95% interval; Δ = smallest "
                 "effect of interest; MDE = smallest ratio this many tasks detect with 80% power at the test's Holm "
                 "level; like for like = the same claim with both sides at the core abstraction level (no Keras fit).")


def claim_tests_table(report: Report, c: Claim) -> Table:
    rows = []
    for t, o in ((c.primary, c.outcome), (c.like_for_like, c.like_for_like_outcome)):
        if t is None:
            continue
        r = t.result
        holm_ci = "n/a"
        if t.ci_holm and t.holm_level:
            short = t.ci_holm_level is not None and t.ci_holm_level < t.holm_level - 1e-9
            holm_ci = (f"{_interval(t.ci_holm)} ({t.holm_level:.1%}" + (f", only {t.ci_holm_level:.0%})" if short else ")"))
        boot = t.bootstrap
        bca = f"{fmt_num(boot.ratio)} ({_interval(boot.ci)})" if boot is not None and boot.ratio is not None else "n/a"
        rows.append((t.comparison, t.metric.name, f"{r.n} / {r.n_nonzero}", fmt_num(r.ratio), _interval(r.ci, r.ci_level),
                     _interval(r.ci_equivalence, r.ci_equivalence_level, 0.90), holm_ci, bca, fmt_p(r.pvalue), fmt_p(r.pvalue_holm),
                     fmt_p(r.pvalue_pratt), outcome_words(o, report.display_names) if o else "-"))
    A, B = (name(report, c.primary.a_key), name(report, c.primary.b_key)) if c.primary else ("a", "b")
    if _v2(report):
        return Table(f"Claim {c.number}: primary test", ("comparison", "metric", "tasks / non-zero", f"ratio {A}/{B}",
                                                         "95% CI", "90% CI", "CI at the family-wise level (decides)",
                                                         "geometric mean (BCa CI)", "p", "p (Holm)", "p (Pratt)", "outcome"),
                     tuple(rows), "The verdict is read from the interval at the family-wise level (Bonferroni over the "
                                  "protocol's tests) against Δ; the p-values and the other intervals are descriptive. "
                                  "Zero differences count in every interval and are dropped by the Wilcoxon p (the docs "
                                  "say where the two can differ). Claim 7 is a contrast: the ratio of ratios, Mann-Whitney.")
    return Table(f"Claim {c.number}: primary test", ("comparison", "metric", "tasks / non-zero", f"ratio {A}/{B}", "95% CI",
                                                     "90% CI", "CI at Holm level", "geometric mean (BCa CI)", "p", "p (Holm)",
                                                     "p (Pratt)", "outcome"),
                 tuple(rows), "Holm level: the confidence matching the test's step in Holm's procedure, so the interval "
                              "excludes 1 exactly when the Holm-adjusted test is significant (up to ties). Geometric "
                              "mean with a BCa bootstrap interval: a secondary estimate on the same log scale. Pratt: "
                              "the same test with zero differences ranked, a sensitivity check.")


def secondaries_table(report: Report, c: Claim) -> Table:
    rows = []
    for t in c.secondaries:
        r = t.result
        key = " (key)" if t.metric.name == c.key_secondary else ""
        if r.reason:
            rows.append((t.metric.label + key, "n/a", "n/a", "n/a", "n/a", f"{r.n} / {r.n_nonzero}"))
            continue
        rows.append((t.metric.label + key, fmt_num(r.ratio), _interval(r.ci, r.ci_level), fmt_p(r.pvalue), fmt_p(r.pvalue_holm),
                     f"{r.n} / {r.n_nonzero}"))
    return Table(f"Claim {c.number}: secondary metrics (exploratory)", ("metric", "ratio", "95% CI", "p",
                                                                        "p (Holm, secondaries)", "tasks / non-zero"),
                 tuple(rows))


def robustness_table(report: Report, c: Claim) -> Table:
    """One row per kind of check with how many flipped, then one row per flip."""
    rob = c.robustness
    rows: list[tuple[str, ...]] = []
    if rob is not None:
        kinds: dict[str, list] = defaultdict(list)
        for check in rob.checks:
            kinds[check.kind].append(check)
        for kind, checks in kinds.items():
            flipped = [x for x in checks if x.flipped]
            changed = [x for x in checks if x.outcome_changed]
            result = f"{len(flipped)} verdict flip{'s' if len(flipped) != 1 else ''}"
            if _v2(report):
                result += f", {len(changed)} outcome change{'s' if len(changed) != 1 else ''} within the verdict"
            rows.append((kind, f"{len(checks)} check{'s' if len(checks) != 1 else ''}", result))
            rows += [("", x.label, outcome_words(x.outcome, report.display_names) + f" ({x.outcome.verdict})")
                     for x in flipped + (changed if _v2(report) else [])]
        if rob.bootstrap_share is not None:
            rows.append(("task bootstrap", f"{rob.bootstrap_resamples} resamples",
                         f"{rob.bootstrap_share:.0%} give '{c.verdict}'"))
        if rob.family_bootstrap_share is not None:
            rows.append(("family bootstrap", f"{rob.bootstrap_resamples} resamples of {rob.families} families",
                         f"{rob.family_bootstrap_share:.0%} give '{c.verdict}'"))
    verdict = "fragile" if rob is not None and rob.fragile else "robust"
    note = ("A verdict is fragile when any check flips it or fewer than 80% of the task- or family-bootstrap resamples "
            "reproduce it; an outcome change within the verdict (trivial to equivalent, say) is listed, not fragile "
            "(docs/claims.md)." if _v2(report) else
            "A verdict is fragile when any check changes it or fewer than 80% of the task-bootstrap resamples "
            "reproduce it (docs/claims.md).")
    return Table(f"Claim {c.number}: robustness ({verdict})", ("check", "changed evidence", "result"), tuple(rows), note)


def replication_table(report: Report, c: Claim) -> Table:
    rows = tuple((r.corpus, str(r.n), fmt_num(r.ratio), _interval(r.ci), fmt_p(r.pvalue_holm),
                  outcome_words(r.outcome, report.display_names), r.outcome.verdict) for r in c.replication)
    return Table(f"Claim {c.number}: replication per corpus" + (" (contested)" if c.contested else ""),
                 ("corpus", "tasks", "ratio", "95% CI", "p (Holm)", "outcome", "verdict"), rows)


def category_table(report: Report) -> Table:
    rows = []
    for row in report.categories:
        t = row.test
        if t is None:
            rows.append((row.category, str(row.tasks), "0", "n/a", "n/a", "n/a", "no task has both sides"))
            continue
        r = t.result
        reading = (f"descriptive ({len(t.units)} tasks < {_min_tasks(report)})" if row.descriptive
                   else f"p = {fmt_p(r.pvalue)} (uncorrected)")
        rows.append((row.category, str(row.tasks), str(len(t.units)), fmt_num(r.ratio),
                     f"{_interval(r.ci)} ({r.ci_level:.0%})" if r.ci else "n/a", fmt_num(row.like_for_like_ratio), reading))
    metric, A, B = _size_axis(report)
    confidence = next((row.confidence for row in report.categories if row.confidence), None)
    if confidence is not None:
        rows = [(row.category, str(row.tasks), str(len(row.test.units)) if row.test else "0",
                 fmt_num(row.test.result.ratio) if row.test else "n/a",
                 _interval(row.interval) if row.interval else ("n/a" if row.test is None else "fewer than 4 tasks"),
                 fmt_num(row.like_for_like_ratio)) for row in report.categories]
        return Table(f"Code size by category (descriptive): {metric}, {A}/{B}",
                     ("category", "tasks", "with both", f"ratio {A}/{B}", f"{confidence:.0%} interval", "like for like"),
                     tuple(rows), f"Descriptive, never tested: below 1 the first framework needs less. Every interval is at "
                                  f"{confidence:.0%}, interpolated between the two exact Walsh-average intervals whose "
                                  "confidences bracket it (approximate); a category needs 4 tasks for one.")
    return Table(f"Per category: {metric}, {A}/{B}", ("category", "tasks", "with both", f"ratio {A}/{B}",
                                                      "interval (achieved confidence)", "like for like", "reading"),
                 tuple(rows), "Below 1: the first framework needs less. Exact Walsh-average intervals at the confidence "
                              "their order statistics achieve (with 2 tasks, the range of the two ratios, 50%); a "
                              "category with fewer tasks than the protocol's minimum is descriptive, never tested.")


def assertions_table(report: Report) -> Table:
    """The essay's assertions no claim decides: claim 1's primary metric on the tasks each tag marks."""
    metric, A, B = _size_axis(report)
    rows = []
    for a in report.assertions:
        if a.row is None and a.figures:   # described from elsewhere (the API documentation)
            rows.append((str(a.number), a.statement, "easeval docs", "", "", "", a.figures + " " + a.construct))
            continue
        if a.row is None:  # nothing measurable from code
            rows.append((str(a.number), a.statement, "none", "", "", "", a.construct))
            continue
        t = a.row.test
        if t is None:
            rows.append((str(a.number), a.statement, f"tag {a.tag}", str(a.row.tasks), "n/a", "n/a",
                         "no tagged task has both sides. " + a.construct))
        else:
            r = t.result
            ci = f"{_interval(r.ci)} ({r.ci_level:.0%})" if r.ci else "n/a"
            rows.append((str(a.number), a.statement, f"tag {a.tag}", str(len(t.units)), fmt_num(r.ratio), ci,
                         f"descriptive, like for like {fmt_num(a.row.like_for_like_ratio)}. " + a.construct))
    return Table(f"Essay assertions no claim decides: {metric}, {A}/{B}",
                 ("#", "assertion", "evidence", "tasks", f"ratio {A}/{B}", "interval (achieved confidence)", "reading"),
                 tuple(rows), "Rows of ESSAY_CLAIMS.md without a protocol claim. Ratios and intervals describe the "
                              "tagged tasks; they are never tested, and a task list chosen by tag is not a sample.")


def documentation_tables(report: Report, top: int = 10) -> list[Table]:
    """Assertion 12's evidence: per framework the share of used APIs (and of calls) documented, then each
    side's most-used APIs without an example and without a docstring, by name."""
    coverage = report.documentation
    if coverage is None or not coverage.frameworks:
        return []
    versions = dict(coverage.versions)
    order = ordered_frameworks(f.framework for f in coverage.frameworks)
    frameworks = sorted(coverage.frameworks, key=lambda f: order.index(f.framework))

    def pct(ratio) -> str:
        return "n/a" if ratio.value is None else f"{100 * ratio.value:.0f}% ({ratio.count}/{ratio.total})"

    rows = tuple((f"{name(report, f.framework)} {versions.get(f.framework, '')}".strip(), str(f.implementations),
                  str(f.shares.distinct_apis), str(f.shares.calls), pct(f.shares.with_docstring.per_api),
                  pct(f.shares.with_docstring.by_calls), pct(f.shares.params_documented.per_api),
                  pct(f.shares.with_example.per_api), pct(f.shares.with_example.by_calls), str(len(f.unresolved)))
                 for f in frameworks)
    tables = [Table("Documentation of the APIs the primaries call (assertion 12, descriptive)",
                    ("framework", "implementations", "APIs", "calls", "docstring", "docstring (by calls)",
                     "every parameter documented", "example", "example (by calls)", "unresolved"), rows,
                    "From the docstrings of the installed packages, each name resolved in a worker of its framework "
                    "(never the task code); by calls = weighted by how often the corpus uses each API. Websites, "
                    "tutorials and forums are not measured (docs/metrics.md, \"Documentation\").")]
    missing = [(name(report, f.framework), api, str(count), "no example" + ("" if (api, count) not in f.missing_docstring
                                                                          else ", no docstring"))
               for f in frameworks for api, count in f.missing_example[:top]]
    if missing:
        tables.append(Table(f"The {top} most-used APIs without an example, per framework",
                            ("framework", "API", "uses", "missing"), tuple(missing)))
    return tables


def _size_axis(report: Report) -> tuple[str, str, str]:
    """The metric and the two sides of the first claim with a primary test (claim 1: SLOC, PyTorch/TensorFlow),
    which the per-category and per-assertion views show."""
    claim = next((c for c in report.claims if c.primary is not None), None)
    if claim is None:
        return "sloc", "a", "b"
    return claim.primary.metric.name, name(report, claim.primary.a_key), name(report, claim.primary.b_key)


def _min_tasks(report: Report) -> int:
    return next((c.min_tasks for c in report.claims if c.min_tasks), 0)


def _key_order(report: Report, key: str) -> tuple[int, int, str]:
    """Implementation keys in the frameworks' report order, each primary before its variants."""
    framework, variant = split_impl_key(key)
    position = report.frameworks.index(framework) if framework in report.frameworks else len(report.frameworks)
    return (position, variant is not None, key)


_SIZES = ("small", "medium", "large")


def _run_order(record) -> tuple:
    size = record.size or "small"
    return (record.machine or "", record.device, record.task, _SIZES.index(size) if size in _SIZES else 3, size,
            record.impl_key, record.backend or "")


def _static_by(report: Report) -> dict[tuple[str, str], Any]:
    return {(r.task_id, r.impl_key): r for r in report.static_records}


def per_task_table(report: Report) -> Table:
    static = _static_by(report)
    keys = sorted({r.impl_key for r in report.static_records}, key=lambda k: _key_order(report, k))
    rows = []
    for task in report.tasks:
        cells = [task.task_id, task.title or "", task.category or "-"]
        for key in keys:
            record = static.get((task.task_id, key))
            if record is None:
                cells.append("")
            elif record.error:
                cells.append("error")
            else:
                m = record.metrics
                cells.append(f"{fmt_num(m.get('sloc'))} / {fmt_num(m.get('cc_sum'))} / {fmt_num(m.get('distinct_apis'))}")
        rows.append(tuple(cells))
    return Table("Per task: SLOC / cyclomatic complexity / distinct APIs", ("task", "title", "category", *[name(report, k) for k in keys]), tuple(rows))


def per_category_table(report: Report, a: str, b: str) -> Table:
    static = _static_by(report)
    by_category: dict[str, list[str]] = defaultdict(list)
    for task in report.tasks:
        by_category[task.category or "-"].append(task.task_id)
    rows = []
    for category, ids in sorted(by_category.items()):
        pairs = [(static[(t, a)].metrics, static[(t, b)].metrics) for t in ids
                 if (t, a) in static and (t, b) in static and not static[(t, a)].error and not static[(t, b)].error]
        if not pairs:
            rows.append((category, str(len(ids)), "", "", "", ""))
            continue
        med = lambda side, key: fmt_num(median(p[side][key] for p in pairs))  # noqa: E731
        rows.append((category, str(len(ids)), f"{med(0, 'sloc')} / {med(1, 'sloc')}", f"{med(0, 'cc_sum')} / {med(1, 'cc_sum')}",
                     f"{med(0, 'distinct_apis')} / {med(1, 'distinct_apis')}", f"{med(0, 'api_density')} / {med(1, 'api_density')}"))
    A, B = name(report, a), name(report, b)
    return Table(f"Per category (medians, {A} / {B})", ("category", "tasks", "SLOC", "cyclomatic", "distinct APIs", "API refs per line"), tuple(rows))


def api_tables(report: Report, top: int = 30) -> list[Table]:
    """Which framework APIs each side needed, by how many tasks used them."""
    tables = []
    used: dict[str, Counter] = defaultdict(Counter)
    for record in report.static_records:
        if record.variant is None and not record.error:
            used[record.framework].update(set(record.apis))
    for framework in report.frameworks:
        counts = used.get(framework, Counter())
        rows = tuple((api, str(n)) for api, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
        tables.append(Table(f"APIs {name(report, framework)} needed (primary implementations; top {min(top, len(counts))} of {len(counts)})",
                            ("API", "tasks using it"), rows))
    return tables


def api_per_task_table(report: Report) -> Table:
    rows = []
    for record in sorted(report.static_records, key=lambda r: (r.task_id, r.impl_key)):
        if record.error:
            continue
        rows.append((record.task_id, name(report, record.impl_key), ", ".join(sorted(record.apis))))
    return Table("APIs per implementation", ("task", "implementation", "resolved framework APIs"), tuple(rows))


def correctness_table(report: Report) -> Table:
    rows = []
    for record in sorted(report.run_records, key=_run_order):
        agree = record.frameworks_agree
        rows.append((record.task, run_name(report, record.impl_key, record.backend), record.device, record.size or "small",
                     record.machine or "?",
                     record.status, fmt_num(record.max_rel_error), fmt_num(record.tolerance_ratio),
                     "" if agree is None else ("yes" if agree else "NO")))
    return Table("Correctness of every measurement", ("task", "implementation", "device", "size", "machine", "status",
                                                      "max rel. error", "error / tolerance", "frameworks agree"), tuple(rows),
                 "error / tolerance: max |out - ref| / (atol + rtol |ref|); passes when <= 1.")


def failures_table(report: Report) -> Table:
    rows = tuple((f.task, run_name(report, f.impl_key, f.backend), f.device, f.status, (f.error or "")[:300])
                 for f in report.failures)
    return Table("Failures", ("task", "implementation", "device", "status", "message"), rows)


def _ms_spread(median_s: float, spread: float | None, processes: int) -> str:
    """'1.23 ± 4.5%' : median of the process medians (ms), and their spread, with the process count."""
    text = f"{median_s * 1e3:.3g}"
    if spread is not None:
        text += f" ± {spread * 50:.2g}%"   # half the relative range
    return f"{text} ({processes} proc.)"


def speed_tables(report: Report, speed: tuple | list | None = None) -> list[Table]:
    """One table per speed comparison (of the report's, or of `speed`)."""
    tables = []
    for s in report.speed if speed is None else speed:
        A, B = name(report, s.a_key), name(report, s.b_key)
        rows = tuple((t.task_id, _ms_spread(t.a_median_s, t.a_spread, len(t.a_process_medians_s) or 1),
                      _ms_spread(t.b_median_s, t.b_spread, len(t.b_process_medians_s) or 1),
                      fmt_num(t.comparison.ratio), fmt_ci(t.comparison.ratio_ci).removeprefix("95% CI "),
                      fmt_p(t.comparison.pvalue), fmt_p(t.comparison.pvalue_holm),
                      VERDICT_WORDS[t.comparison.verdict].format(a=f"{A} slower", b=f"{B} slower").replace(" higher", "")
                      + (f" ({t.comparison.note})" if t.comparison.verdict == "inconclusive" and t.comparison.note else ""))
                     for t in s.tasks)
        o = s.overall
        note = (f"Across {o.n} tasks the geometric-mean time ratio {A}/{B} is {fmt_num(o.ratio)} ({fmt_ci(o.ci)}"
                f"{'; ' + o.reason if o.reason else ''}). Times: the median of the process medians, in ms per call, "
                "± half the range of the process medians relative to their median; each process is an independent "
                "fresh interpreter (the unit of replication). Ratio: of the geometric means of the process medians, "
                "with a 95% Welch interval; p: Welch's t-test on the log process medians, and Holm across the tasks "
                "of this table.")
        tables.append(Table(f"Speed on {s.device} at the {s.size} size ({s.machine}, {s.setting}): {A} vs {B}",
                            ("task", f"{A} ms", f"{B} ms", f"ratio {A}/{B}", "95% CI", "p", "p (Holm)", "verdict"),
                            rows, note))
    return tables


def size_change_tables(report: Report) -> list[Table]:
    """Per pair, machine and device: each task's ratio at two sizes and whether the faster side changes."""
    groups: dict[tuple, list] = defaultdict(list)
    for c in report.size_changes:
        groups[(c.machine, c.device, c.a_key, c.b_key, c.threads, c.smaller, c.larger)].append(c)
    tables = []
    for (machine, device, a_key, b_key, threads, smaller, larger), items in groups.items():
        A, B = name(report, a_key), name(report, b_key)

        def side(ratio: float | None, verdict: str) -> str:
            if ratio is None:
                return "n/a"
            faster = A if ratio < 1 else B
            return f"{fmt_num(ratio)} ({faster} faster{'' if verdict in ('a_higher', 'b_higher') else ', not significant'})"
        rows = tuple((c.task_id, side(c.smaller_ratio, c.smaller_verdict), side(c.larger_ratio, c.larger_verdict),
                      "n/a" if c.changes is None else ("YES, significant at both sizes" if c.changes_significantly
                                                       else "yes" if c.changes else "no"))
                     for c in items)
        tables.append(Table(f"Does the faster side change with size? {A} vs {B}, {smaller} to {larger} ({machine}, {device}, "
                            f"{threads} thread{'s' if threads != 1 else ''})",
                            ("task", f"ratio {A}/{B} at {smaller}", f"ratio {A}/{B} at {larger}", "faster side changes"), rows,
                            f"'{smaller}' is dominated by per-operation overhead; at '{larger}' PyTorch's run() takes about "
                            "20 ms or more, so kernels count. Significant: after Holm, within each size's table."))
    return tables


def latency_memory_table(report: Report) -> Table:
    rows = []
    for record in sorted(report.run_records, key=_run_order):
        timing = record.timing or Timing()
        memory = record.measured_memory_bytes
        spread = timing.process_spread
        rows.append((record.task, run_name(report, record.impl_key, record.backend), record.device, record.size or "small",
                     fmt_num(timing.setup_s), fmt_num(timing.first_call_s), fmt_num(timing.median_s),
                     str(len(timing.process_medians_s)), "" if spread is None else f"{spread:.1%}",
                     "" if timing.others_cores is None else f"{timing.others_cores:.2f}",
                     str(len(timing.samples_s)), "" if memory is None else f"{memory / 2**20:.1f}"))
    return Table("First-call latency, steady state and memory", ("task", "implementation", "device", "size", "setup s",
                                                                  "first call s", "median s", "processes",
                                                                  "process spread", "others' load", "samples",
                                                                  "memory MiB"), tuple(rows),
                 "First call: in the first timing process (cold caches, a user's first run; that process also checks "
                 "the output), the only cold first call of a measurement: later processes find its compiler caches. "
                 "Median: of the process medians; processes: 2 where the first two agreed within 5%, else 3. "
                 "Process spread: (largest - smallest process median) / median. Others' load: the most CPU "
                 "cores other processes used while a process of this measurement timed (Linux /proc/stat). Memory: the allocator peak "
                 "on a GPU; on CPU the first timing process's peak RSS above the worker's RSS at fork time (the "
                 "framework import, shared by all measurements, is not counted).")


def compiled_table(report: Report) -> Table:
    rows = []
    for row in report.compiled_speedups:
        where, variant = f"{row.machine}, {row.setting}", name(report, row.variant_key)
        for t in row.tasks:
            rows.append((row.device, where, variant, t.task, fmt_num(t.eager_median_s), fmt_num(t.variant_median_s),
                         fmt_num(t.ratio), fmt_num(t.variant_first_call_s), fmt_num(t.eager_first_call_s)))
        o = row.overall
        rows.append((row.device, where, variant, "geometric mean", "", "", fmt_num(o.ratio),
                     fmt_ci(o.ci) if o.ci else (o.reason or ""), ""))
    return Table("Compiled versus eager", ("device", "machine", "variant", "task", "eager median s", "compiled median s",
                                           "ratio", "compiled first call s", "eager first call s"), tuple(rows))


def environment_table(report: Report) -> Table:
    rows = []
    for env in report.environments:
        versions = ", ".join(f"{k} {v}" for k, v in sorted(env.framework_versions.items()))
        imports = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(env.import_seconds.items()))
        rows.append((env.machine, env.cpu, env.gpu or "none", env.python, versions, str(env.threads), imports,
                     env.easeval_version, env.corpus_revision))
    return Table("Environment (one row per result file: machine and run)", ("machine", "CPU", "GPU", "Python", "frameworks",
                                                                           "threads", "import time", "easeval", "corpus revision"), tuple(rows))


def code_hash_table(report: Report) -> Table:
    rows = sorted({(r.task, name(report, r.impl_key), (r.code_hash or "")[:12]) for r in report.run_records})
    return Table("Code hashes of what was measured (implementation + spec + metadata + size)", ("task", "implementation", "code hash"), tuple(rows))


def glue_table(report: Report) -> Table:
    totals: Counter = Counter()
    files: Counter = Counter()
    for record in report.static_records:
        totals[record.impl_key] += record.glue_lines_excluded
        files[record.impl_key] += bool(record.glue_lines_excluded)
    rows = tuple((name(report, k), str(totals[k]), str(files[k])) for k in sorted(totals))
    return Table("Harness glue excluded from the static metrics", ("implementation", "lines excluded", "files with glue"), rows)
