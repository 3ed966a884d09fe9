"""The metric registry is the one list: analysis computes exactly it, the docs describe exactly it."""

import re
from pathlib import Path

import pytest

from evaluator.analysis.file_analysis import analyze_source
from evaluator.analysis.records import metric_values
from evaluator.metrics import BY_NAME, COMPARED, CONFIRMATORY, FAMILIES, REGISTRY, RUN, STATIC_NAMES, metric

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
    assert set(values) | {m.name for m in REGISTRY if m.source == RUN} == set(BY_NAME)


def test_derived_api_density_is_references_per_logical_line():
    values = metric_values(analyze_source(SOURCE.encode(), frozenset({"torch"})))
    assert values["api_density"] == pytest.approx(values["api_references"] / values["lloc"])
    assert values["api_density"] > 0


def test_docs_describe_every_registry_metric_and_no_other():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(), re.MULTILINE))
    static = set(STATIC_NAMES)
    assert static - documented == set(), "metrics missing from docs/metrics.md"
    assert documented - static == set(), "docs/metrics.md documents metrics the registry lacks"


def test_every_compared_metric_has_a_direction_and_confirmatory_ones_are_compared():
    assert all(m.better in ("lower", "higher") for m in COMPARED)
    assert FAMILIES == ("size", "complexity", "api", "style")
    assert {m.name for m in REGISTRY if m.role == CONFIRMATORY} <= {m.name for m in COMPARED}


def test_unknown_metric_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown metric 'slocc'"):
        metric("slocc")
