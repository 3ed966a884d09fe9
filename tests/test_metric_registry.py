"""The metric registry is the one list: analysis computes exactly it, the docs describe exactly it."""

import re
from pathlib import Path

import pytest

from evaluator.analysis.file_analysis import analyze_source
from evaluator.analysis.metric_rows import metric_values
from evaluator.base.metric_registry import BY_NAME, COMPARED, CONFIRMATORY, FAMILIES, REGISTRY, STATIC, STATIC_NAMES, metric
from evaluator.claims.claim_protocol import load_protocol

DOCS = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"
SOURCE = """import torch
from torch import nn

model = nn.Linear(3, 2)


def step(x):
    if x is None:
        return None
    return torch.relu(model(x)).sum()
"""


def test_analysis_computes_exactly_the_static_registry():
    values = metric_values(analyze_source(SOURCE.encode(), frozenset({"torch"})))
    assert list(values) == list(STATIC_NAMES)
    assert set(values) | {m.name for m in REGISTRY if m.source != STATIC} == set(BY_NAME)


def test_derived_api_density_is_references_per_logical_line():
    values = metric_values(analyze_source(SOURCE.encode(), frozenset({"torch"})))
    assert values["api_density"] == pytest.approx(values["api_references"] / values["lloc"])
    assert values["api_density"] > 0


def test_docs_describe_every_registry_metric_and_no_other():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(), re.MULTILINE))
    static = set(STATIC_NAMES)
    assert static - documented == set(), "metrics missing from docs/metrics.md"
    assert documented - static == set(), "docs/metrics.md documents metrics the registry lacks"


def test_every_compared_metric_has_a_direction_and_confirmatory_means_a_claims_primary():
    assert all(m.better in ("lower", "higher") for m in COMPARED)
    assert FAMILIES == ("size", "complexity", "api", "style")
    primaries = {c.primary.name for c in load_protocol().claims}   # the current protocol's (version 2)
    assert {m.name for m in REGISTRY if m.role == CONFIRMATORY} == primaries


def test_decision_points_are_complexity_minus_one_per_function():
    # by hand: step() has one `if` (complexity 2), so 2 - 1 function = 1 decision point
    values = metric_values(analyze_source(SOURCE.encode(), frozenset({"torch"})))
    assert (values["functions"], values["cc_sum"], values["decision_points"]) == (1, 2, 1)
    assert BY_NAME["decision_points"].log_offset == 1.0 and BY_NAME["api_density"].log_offset == 0.0


def test_high_level_calls_count_loops_handed_to_keras():
    keras = """import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(x, y, epochs=2)
model.predict(x)
"""
    values = metric_values(analyze_source(keras.encode(), frozenset({"tensorflow", "keras"})))
    assert values["high_level_calls"] == 1   # fit; compile alone and predict (a forward pass) do not count
    assert metric_values(analyze_source(SOURCE.encode(), frozenset({"torch"})))["high_level_calls"] == 0


def test_unknown_metric_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown metric 'slocc'"):
        metric("slocc")
