"""The usual claims of the "PyTorch vs TensorFlow, which is easier?" debate, put to the test.

Each claim names the metrics that decide it and a fixed rule, so a verdict can be checked by hand:
- a "direction" claim is supported when most of its deciding metrics show a significant difference
  (Holm-adjusted, per family) in the claimed direction and none in the other; contradicted in the
  mirror case; inconclusive otherwise;
- the "gap is small" claim uses an equivalence band: supported when every deciding ratio's 95% CI
  lies inside [0.8, 1.25], contradicted when any CI lies wholly outside it.
"""

from __future__ import annotations

from evaluator.frameworks import adapter_names, get_adapter
from evaluator.report.comparisons import compare_static
from evaluator.report.model import (
    Claim, CompiledSpeedup, MetricComparison, RunEnvironment, SpeedComparison, StaticRecord, TaskSummary,
)
from evaluator.report.wording import comparison_sentence, favours, fmt_ci, fmt_num

SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_MEASURED = "supported", "contradicted", "inconclusive", "not measured"
EQUIVALENCE_BAND = (0.8, 1.25)
LEARNING_METRICS = ("sloc", "cc_sum", "distinct_apis")
PYTHONIC_METRICS = ("api_density", "concepts")
DEPLOYMENT_CATEGORY = "persistence-deployment"
# The corpus convention for a framework's hand-written, low-level variant (tasks/README.md).
LOW_LEVEL_VARIANT = "lowlevel"


def style_name(framework: str, names: dict[str, str]) -> str:
    """What a framework's primaries are written with, as its adapter declares (e.g. Keras)."""
    if framework in adapter_names():
        return getattr(get_adapter(framework), "STYLE_NAME", names.get(framework, framework))
    return names.get(framework, framework)


def _pick(comparisons: list[MetricComparison] | tuple[MetricComparison, ...], names: tuple[str, ...],
          a_key: str, b_key: str) -> list[MetricComparison]:
    by_name = {c.metric.name: c for c in comparisons if c.a_key == a_key and c.b_key == b_key}
    return [by_name[n] for n in names if n in by_name]


def direction_verdict(comparisons: list[MetricComparison], claimed_key: str) -> str:
    """Majority of deciding metrics significant for `claimed_key` and none against, or the mirror."""
    if not comparisons:
        return NOT_MEASURED
    winners = [favours(c) for c in comparisons]
    pro = sum(w == claimed_key for w in winners)
    con = sum(w is not None and w != claimed_key for w in winners)
    if pro > len(comparisons) / 2 and con == 0:
        return SUPPORTED
    if con > len(comparisons) / 2 and pro == 0:
        return CONTRADICTED
    return INCONCLUSIVE


def equivalence_verdict(comparisons: list[MetricComparison]) -> str:
    low, high = EQUIVALENCE_BAND
    cis = [c.result.ratio_ci for c in comparisons]
    if not comparisons or any(ci is None for ci in cis):
        return INCONCLUSIVE if comparisons else NOT_MEASURED
    if any(ci[1] < low or ci[0] > high for ci in cis):
        return CONTRADICTED
    if all(low <= ci[0] and ci[1] <= high for ci in cis):
        return SUPPORTED
    return INCONCLUSIVE


def evaluate_claims(
    *, static: list[MetricComparison], variants: list[MetricComparison], records: list[StaticRecord],
    speed: list[SpeedComparison], compiled: list[CompiledSpeedup], environments: list[RunEnvironment],
    tasks: list[TaskSummary], names: dict[str, str], a_key: str = "torch", b_key: str = "tensorflow",
) -> list[Claim]:
    """All seven claims plus debugging, each with a verdict or the reason it has none."""
    A, B = names.get(a_key, a_key), names.get(b_key, b_key)
    claims = []

    learn = _pick(static, LEARNING_METRICS, a_key, b_key)
    claims.append(Claim(1, f"{A} is easier to learn than {B}",
                        "less code (SLOC), lower complexity (cyclomatic, summed), smaller API surface (distinct APIs); direction rule",
                        direction_verdict(learn, a_key), tuple(comparison_sentence(c, names) for c in learn)))

    pythonic = _pick(static, PYTHONIC_METRICS, a_key, b_key)
    claims.append(Claim(2, f"{A} is more Pythonic than {B}",
                        "more plain Python, fewer framework constructs: framework API references per logical line, framework namespaces; direction rule",
                        direction_verdict(pythonic, a_key), tuple(comparison_sentence(c, names) for c in pythonic)))

    low_key = f"{b_key}_{LOW_LEVEL_VARIANT}"
    style, low = style_name(b_key, names), names.get(low_key, low_key)
    keras = _pick(variants, LEARNING_METRICS, b_key, low_key)
    claims.append(Claim(3, f"{style} makes {B} simpler",
                        f"{style} primaries ({b_key}_impl.py) against {low} variants ({low_key}_impl.py) on the tasks that have both: SLOC, cyclomatic complexity, distinct APIs; direction rule",
                        direction_verdict(keras, b_key),
                        tuple(comparison_sentence(c, {**names, b_key: style}) for c in keras)))

    claims.append(Claim(4, f"Since TensorFlow 2's eager mode the gap between {A} and {B} is small",
                        f"the size of the differences: every ratio's 95% CI inside the equivalence band {EQUIVALENCE_BAND[0]} to {EQUIVALENCE_BAND[1]} (SLOC, cyclomatic complexity, distinct APIs)",
                        equivalence_verdict(learn),
                        tuple(f"{c.metric.label}: ratio {fmt_num(c.result.ratio)}, {fmt_ci(c.result.ratio_ci)}" for c in learn)))

    claims.append(_static_graph_claim(compiled, names))
    claims.append(_prototyping_claim(static, speed, environments, names, a_key, b_key))
    claims.append(_deployment_claim(records, tasks, names, a_key, b_key))
    claims.append(Claim(8, "Dynamic graphs make debugging easier", "dedicated debugging evidence (a later issue)", NOT_MEASURED,
                        ("Not yet measured: the debugging-inspection tasks are in the corpus and in the static tables, "
                         "but no debugging-specific evidence (error-message quality, time to locate a planted bug) is collected yet.",)))
    return claims


def _static_graph_claim(compiled: list[CompiledSpeedup], names: dict[str, str]) -> Claim:
    evidence, faster, slower, undecided = [], 0, 0, 0
    for row in compiled:
        overall = row.overall
        label = (f"{names.get(row.variant_key, row.variant_key)} vs eager {names.get(row.framework, row.framework)} "
                 f"({row.machine}, {row.device}, {row.setting}, {len(row.tasks)} tasks)")
        if overall.ci is None:
            undecided += 1
            evidence.append(f"{label}: ratio {fmt_num(overall.ratio)}, no CI ({overall.reason})")
            continue
        if overall.ci[1] < 1:
            faster += 1
        elif overall.ci[0] > 1:
            slower += 1
        else:
            undecided += 1
        evidence.append(f"{label}: steady-state time ratio {fmt_num(overall.ratio)}, {fmt_ci(overall.ci)}")
        first = [t.variant_first_call_s / t.eager_first_call_s for t in row.tasks if t.eager_first_call_s]
        if first:
            evidence.append(f"  first call costs {fmt_num(min(first))}x to {fmt_num(max(first))}x the eager first call")
    if not compiled:
        verdict = NOT_MEASURED
        evidence.append("No compiled-variant timings in the results (run `easeval run` or the report without --static-only).")
    elif faster and not slower and not undecided:
        verdict = SUPPORTED
    elif slower and not faster and not undecided:
        verdict = CONTRADICTED
    else:
        verdict = INCONCLUSIVE
    return Claim(5, "Static graphs bring speed",
                 "steady-state time of compiled variants (torch.compile, tf.function) over their eager primaries, geometric mean over tasks with a bootstrap CI: supported when every CI lies below 1",
                 verdict, tuple(evidence))


def _prototyping_claim(static, speed, environments, names, a_key, b_key) -> Claim:
    A, B = names.get(a_key, a_key), names.get(b_key, b_key)
    evidence, votes = [], []
    imports = [(env.machine, env.import_seconds) for env in environments]
    imports = [(m, s) for m, s in imports if a_key in s and b_key in s]
    if imports:
        a_faster = all(s[a_key] < s[b_key] for _, s in imports)
        b_faster = all(s[b_key] < s[a_key] for _, s in imports)
        votes.append(a_key if a_faster else b_key if b_faster else None)
        for machine, s in imports:
            evidence.append(f"import time on {machine}: {A} {s[a_key]:.2f} s, {B} {s[b_key]:.2f} s (one fresh interpreter each)")
    for comparison in speed:
        if comparison.first_call is not None:
            votes.append(favours(comparison.first_call))
            evidence.append(f"first-call latency ({comparison.machine}, {comparison.device}, {comparison.setting}): " + comparison_sentence(comparison.first_call, names))
    size = _pick(static, ("sloc",), a_key, b_key)
    for c in size:
        votes.append(favours(c))
        evidence.append(comparison_sentence(c, names))
    if not votes:
        verdict = NOT_MEASURED
    elif all(v == a_key for v in votes):
        verdict = SUPPORTED
    elif all(v == b_key for v in votes):
        verdict = CONTRADICTED
    else:
        verdict = INCONCLUSIVE
    return Claim(6, f"{A} is faster for rapid prototyping",
                 "import time, first-call latency (paired over tasks), code size: supported when all of them favour the claim significantly (import time: on every machine)",
                 verdict, tuple(evidence))


def _deployment_claim(records: list[StaticRecord], tasks: list[TaskSummary], names, a_key, b_key) -> Claim:
    B = names.get(b_key, b_key)
    ids = {t.task_id for t in tasks if t.category == DEPLOYMENT_CATEGORY}
    subset = [r for r in records if r.task_id in ids]
    comparisons = [c for c in compare_static(subset, a_key, b_key) if c.metric.name in ("sloc", "distinct_apis", "cc_sum")]
    evidence = [comparison_sentence(c, names) for c in comparisons]
    if comparisons and comparisons[0].result.n < 6:
        evidence.append(f"Only {comparisons[0].result.n} persistence/deployment tasks: a two-sided Wilcoxon test cannot reach "
                        f"p < 0.05 with fewer than 6 tasks, so this claim stays inconclusive until the corpus has more of them.")
    return Claim(7, f"{B} is stronger for deployment",
                 f"the '{DEPLOYMENT_CATEGORY}' tasks (save/reload, export for serving): code size, complexity and API surface of doing it; direction rule",
                 direction_verdict(comparisons, b_key) if comparisons else NOT_MEASURED, tuple(evidence))
