"""The metric registry: every metric easeval reports, listed once.

Adding a metric is one `Metric(...)` entry here plus the function that computes it. `easeval analyze`
computes every static entry (derived ones included) and the report compares the entries that have a
`family` (exploratory catalogue tables, Holm within a family). Claims are decided only by the claim
protocol (docs/claims.md): `confirmatory` marks the metrics it names as a claim's primary metric (a
test keeps the two in step); the rest are exploratory or descriptive. docs/metrics.md documents every
static entry (a test checks both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

CONFIRMATORY, EXPLORATORY, DESCRIPTIVE = "confirmatory", "exploratory", "descriptive"
# static: computed from the file by `analyze`; run: measured by the harness; debugging: from planted bugs
STATIC, RUN, DEBUGGING = "static", "run", "debugging"
# Method calls that hand the training or evaluation loop to the framework (Keras Model.fit and the like):
# an implementation that makes one is written at the `high` abstraction level (docs/claims.md).
HIGH_LEVEL_METHODS = ("fit", "evaluate", "train_on_batch", "test_on_batch")


@dataclass(frozen=True)
class Metric:
    name: str                  # key in records, metrics.csv and results.json
    label: str                 # words for a reader
    family: str | None         # Holm family in comparisons; None = listed by `analyze`, never compared
    better: str | None         # "lower" or "higher": the direction that makes code easier to use
    unit: str = ""
    role: str = EXPLORATORY    # confirmatory (may decide a claim) | exploratory | descriptive
    source: str = STATIC       # static: computed from the file by `analyze`; run: measured by the harness
    # (analysis, values computed so far) -> value; for static metrics only. Not part of the record.
    compute: Callable[[Any, dict[str, float]], float] | None = field(default=None, repr=False, compare=False)
    # Added to both sides before a log ratio (docs/claims.md): 1 for counts, which can be 0.
    log_offset: float = 0.0

    def __reduce__(self):
        """Pickled by name when registered (its `compute` may be a closure); else without `compute`."""
        if BY_NAME.get(self.name) == self:
            return metric, (self.name,)
        return Metric, (self.name, self.label, self.family, self.better, self.unit, self.role, self.source, None,
                        self.log_offset)


def _attribute(family: str, attribute: str) -> Callable[[Any, dict[str, float]], float]:
    """Read one field of a FileAnalysis part; a tuple counts its entries."""
    def compute(analysis: Any, _values: dict[str, float]) -> float:
        value = getattr(getattr(analysis, family), attribute)
        return len(value) if isinstance(value, tuple) else value
    return compute


def _api_density(_analysis: Any, values: dict[str, float]) -> float:
    # Framework references per logical line: how much of the code is framework rather than Python.
    return values["api_references"] / values["lloc"] if values["lloc"] else 0.0


def _decision_points(_analysis: Any, values: dict[str, float]) -> float:
    # Cyclomatic complexity counts 1 per function plus 1 per decision; this keeps the decisions only.
    return values["cc_sum"] - values["functions"]


def _high_level_calls(analysis: Any, _values: dict[str, float]) -> float:
    return sum(count for name, count in analysis.api.unresolved_method_calls if name in HIGH_LEVEL_METHODS)


def _static(name, label, family, better, unit, part, attribute=None, role=EXPLORATORY, count=True) -> Metric:
    return Metric(name, label, family, better, unit, role, STATIC, _attribute(part, attribute or name),
                  log_offset=1.0 if count else 0.0)


REGISTRY: tuple[Metric, ...] = (
    _static("loc", "physical lines", None, None, "lines", "size", role=DESCRIPTIVE),
    # sloc decided the size claims under claim protocol 1; lloc, which line wrapping does not move, under 2.
    _static("sloc", "source lines of code", "size", "lower", "lines", "size"),
    _static("lloc", "logical lines of code", "size", "lower", "lines", "size", role=CONFIRMATORY),
    _static("comments", "comments", None, None, "comments", "size", role=DESCRIPTIVE),
    _static("single_comments", "comment-only lines", None, None, "lines", "size", role=DESCRIPTIVE),
    _static("multi", "docstring lines", None, None, "lines", "size", role=DESCRIPTIVE),
    _static("blank", "blank lines", None, None, "lines", "size", role=DESCRIPTIVE),
    _static("tokens", "tokens", "size", "lower", "tokens", "size"),
    _static("functions", "functions", None, None, "functions", "complexity", role=DESCRIPTIVE),
    _static("cc_sum", "cyclomatic complexity (sum over functions)", "complexity", "lower", "", "complexity"),
    _static("cc_max", "cyclomatic complexity (max over functions)", "complexity", "lower", "", "complexity"),
    Metric("decision_points", "decision points (cyclomatic complexity minus one per function)", "complexity",
           "lower", "decisions", EXPLORATORY, STATIC, _decision_points, log_offset=1.0),
    _static("halstead_volume", "Halstead volume", "complexity", "lower", "bits", "complexity", count=False),
    _static("halstead_difficulty", "Halstead difficulty", None, None, "", "complexity", role=DESCRIPTIVE, count=False),
    _static("halstead_effort", "Halstead effort", "complexity", "lower", "", "complexity", count=False),
    _static("maintainability_index", "maintainability index", "complexity", "higher", "", "complexity", count=False),
    _static("max_nesting_depth", "maximum nesting depth", "complexity", "lower", "levels", "complexity"),
    _static("distinct_apis", "distinct framework APIs", "api", "lower", "APIs", "api"),
    _static("api_references", "framework API references", "api", "lower", "references", "api", "references"),
    _static("framework_calls", "framework calls", "api", "lower", "calls", "api", "calls"),
    _static("framework_call_keywords", "keyword arguments to framework calls", "api", "lower", "arguments", "api",
            "call_keywords"),
    _static("framework_subclasses", "framework classes subclassed", "style", "lower", "classes", "api", "subclassed"),
    _static("framework_decorators", "framework decorators", "style", "lower", "decorators", "api", "decorators"),
    _static("concepts", "framework namespaces (concepts)", "api", "lower", "namespaces", "api"),
    _static("unresolved_method_calls", "method calls on framework objects", "api", "lower", "calls", "api",
            "unresolved_method_call_count"),
    _static("unresolved_method_call_keywords", "keyword arguments to framework method calls", None, None,
            "arguments", "api", role=DESCRIPTIVE),
    Metric("api_density", "framework API references per logical line", "style", "lower", "per line", CONFIRMATORY,
           STATIC, _api_density),
    Metric("high_level_calls", "calls handing the loop to the framework (fit, evaluate)", None, None, "calls",
           DESCRIPTIVE, STATIC, _high_level_calls, log_offset=1.0),
    Metric("first_call_s", "first-call latency", "latency", "lower", "s", CONFIRMATORY, RUN),
    Metric("median_s", "steady-state time per call", None, "lower", "s", CONFIRMATORY, RUN),
    Metric("peak_memory", "peak memory of the measurement", "memory", "lower", "bytes", EXPLORATORY, RUN),
    # Share of a task's paired planted bugs that fail loudly at the line of the bug (docs/claims.md,
    # claim 8); 0.1, one bug in ten, keeps a share of 0 finite on the log scale.
    Metric("loud_localised_share", "share of planted bugs that fail loud and localised", None, "higher", "share",
           CONFIRMATORY, DEBUGGING, log_offset=0.1),
)
BY_NAME = {m.name: m for m in REGISTRY}
STATIC_METRICS = tuple(m for m in REGISTRY if m.source == STATIC)
STATIC_NAMES = tuple(m.name for m in STATIC_METRICS)
# Static metrics the report compares between implementations, and their Holm families in order.
COMPARED = tuple(m for m in STATIC_METRICS if m.family is not None)
FAMILIES = tuple(dict.fromkeys(m.family for m in COMPARED))


def metric(name: str) -> Metric:
    """The registry entry; a KeyError that names the unknown metric and the known ones."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(BY_NAME)}") from None


def compute_static(analysis: Any) -> dict[str, float]:
    """Every static metric of one analysed file, in registry order (derived ones after their inputs)."""
    values: dict[str, float] = {}
    for entry in STATIC_METRICS:
        values[entry.name] = entry.compute(analysis, values)
    return values
