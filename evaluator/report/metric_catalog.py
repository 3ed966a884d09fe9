"""The static metrics the report compares, grouped in families (Holm corrects within a family)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricSpec:
    name: str      # key in a static record's `metrics`
    label: str     # words for a reader
    family: str    # size | complexity | api | style
    better: str    # "lower" or "higher": which direction makes code easier to use
    unit: str = ""


METRICS = (
    MetricSpec("sloc", "source lines of code", "size", "lower", "lines"),
    MetricSpec("lloc", "logical lines of code", "size", "lower", "lines"),
    MetricSpec("tokens", "tokens", "size", "lower", "tokens"),
    MetricSpec("cc_sum", "cyclomatic complexity (sum over functions)", "complexity", "lower"),
    MetricSpec("cc_max", "cyclomatic complexity (max over functions)", "complexity", "lower"),
    MetricSpec("halstead_volume", "Halstead volume", "complexity", "lower", "bits"),
    MetricSpec("halstead_effort", "Halstead effort", "complexity", "lower"),
    MetricSpec("maintainability_index", "maintainability index", "complexity", "higher"),
    MetricSpec("max_nesting_depth", "maximum nesting depth", "complexity", "lower", "levels"),
    MetricSpec("distinct_apis", "distinct framework APIs", "api", "lower", "APIs"),
    MetricSpec("api_references", "framework API references", "api", "lower", "references"),
    MetricSpec("framework_calls", "framework calls", "api", "lower", "calls"),
    MetricSpec("framework_call_keywords", "keyword arguments to framework calls", "api", "lower", "arguments"),
    MetricSpec("concepts", "framework namespaces (concepts)", "api", "lower", "namespaces"),
    MetricSpec("unresolved_method_calls", "method calls on framework objects", "api", "lower", "calls"),
    MetricSpec("api_density", "framework API references per logical line", "style", "lower", "per line"),
    MetricSpec("framework_subclasses", "framework classes subclassed", "style", "lower", "classes"),
    MetricSpec("framework_decorators", "framework decorators", "style", "lower", "decorators"),
)
METRICS_BY_NAME = {m.name: m for m in METRICS}
FAMILIES = tuple(dict.fromkeys(m.family for m in METRICS))
