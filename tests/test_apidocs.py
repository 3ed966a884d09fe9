"""Documentation coverage of the APIs the corpus calls: real framework objects, real worker processes."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from evaluator.apidocs import docs_measure as measure
from evaluator.apidocs.api_doc import ApiDoc
from evaluator.apidocs.docs_coverage import ImplementationUsage, docs_coverage
from evaluator.apidocs.docstrings import documented_parameters, has_example
from evaluator.apidocs.docs_measure import coverage_document, coverage_table, measure_docs, run_worker

TASKS = Path(__file__).resolve().parents[1] / "tasks"

NAMES = {
    "torch": ["torch.nn.Linear", "torch.nn.functional.relu", "torch.tanh", "torch.nn.NoSuchLayer",
              "torch.nn.Module.eval"],
    "tensorflow": ["keras.layers.Dense", "tensorflow.keras.layers.Dense", "tensorflow.GradientTape",
                   "tensorflow.distribute.ReduceOp.SUM"],
    "jax": ["jax.numpy.zeros", "jax.numpy.array_repr", "jax.random.key"],
}


@pytest.fixture(scope="module")
def records() -> dict[str, ApiDoc]:
    """One real worker per framework, as measure_docs starts them."""
    found = {}
    for framework, names in NAMES.items():
        found.update((r.name, r) for r in run_worker(framework, names))
    return found


@pytest.mark.slow
def test_torch_linear_google_args_and_examples(records):
    linear = records["torch.nn.Linear"]
    assert (linear.exists, linear.kind, linear.resolved_name) == (True, "class", "torch.nn.modules.linear.Linear")
    assert linear.has_example  # "Examples::" with doctest lines
    assert linear.parameters == ("in_features", "out_features", "bias", "device", "dtype")
    assert linear.documented_parameters == ("in_features", "out_features", "bias")
    assert linear.params_documented is False  # the factory kwargs device and dtype have no Args entry


@pytest.mark.slow
def test_torch_builtin_signature_from_docstring_first_line(records):
    tanh = records["torch.tanh"]
    assert tanh.signature_source == "docstring"  # `tanh(input, *, out=None) -> Tensor`
    assert tanh.parameters == ("input", "out") and tanh.params_documented  # Args: + Keyword args:


@pytest.mark.slow
def test_real_api_without_example(records):
    relu = records["torch.nn.functional.relu"]  # two lines pointing to torch.nn.ReLU
    assert relu.has_docstring and not relu.has_example
    assert relu.parameters == ("input", "inplace") and relu.params_documented is False
    assert records["jax.random.key"].has_docstring and not records["jax.random.key"].has_example


@pytest.mark.slow
def test_keras_dense_and_its_tensorflow_alias(records):
    dense, alias = records["keras.layers.Dense"], records["tensorflow.keras.layers.Dense"]
    assert dense.resolved_name == alias.resolved_name == "keras.src.layers.core.dense.Dense"
    assert {"units", "activation", "use_bias"} <= set(dense.documented_parameters)
    assert not dense.has_example  # Keras 3's Dense docstring shows no code


@pytest.mark.slow
def test_tensorflow_public_namespace_not_internal_package(records):
    tape = records["tensorflow.GradientTape"]
    assert tape.params_documented and tape.has_example
    # `import tensorflow.distribute` is an internal package without ReduceOp; tf.distribute has it
    assert records["tensorflow.distribute.ReduceOp.SUM"].exists


@pytest.mark.slow
def test_jax_google_and_numpy_style(records):
    zeros, array_repr = records["jax.numpy.zeros"], records["jax.numpy.array_repr"]
    assert zeros.params_documented and zeros.has_example
    assert array_repr.params_documented and array_repr.has_example  # Parameters / Examples underlined


@pytest.mark.slow
def test_missing_name_and_method(records):
    missing = records["torch.nn.NoSuchLayer"]
    assert not missing.exists and "NoSuchLayer" in missing.reason
    assert records["torch.nn.Module.eval"].kind == "method"


def test_numpy_and_rest_sections_on_real_text():
    doc = np.mean.__doc__
    assert {"a", "axis", "dtype", "out", "keepdims"} <= set(documented_parameters(doc)) and has_example(doc)
    rest = "Do it.\n\n:param int x: the x\n:param y: the y\n"
    assert documented_parameters(rest) == ("x", "y") and not has_example(rest)


def test_literal_blocks_count_only_when_they_are_code():
    assert has_example("Assign submodules::\n\n    import torch.nn as nn\n    m = nn.Linear(2, 3)\n")
    assert not has_example("Shape::\n    - Input: :math:`(N, C)`\n    - Output: :math:`(N)`\n")
    assert has_example("Example:\n    ```python\n    layer = Dense(3)\n    ```\n")


def _doc(name: str, docstring: bool = True, example: bool = False, params: bool | None = None) -> ApiDoc:
    return ApiDoc(name=name, exists=True, kind="function", has_docstring=docstring, has_example=example,
                  params_documented=params)


def test_coverage_shares_per_api_and_by_calls():
    usage = [
        ImplementationUsage("torch", "a", True, Counter({"torch.f": 8, "torch.g": 1})),
        ImplementationUsage("torch", "b", True, Counter({"torch.f": 2, "torch.h": 1, "torch.gone": 3})),
        ImplementationUsage("torch", "b", False, Counter({"torch.variant_only": 50})),  # a variant: not counted
    ]
    records = {
        "torch.f": _doc("torch.f", example=True, params=True),
        "torch.g": _doc("torch.g", docstring=False, params=False),
        "torch.h": _doc("torch.h"),  # no parameters: left out of the parameter share
        "torch.gone": ApiDoc("torch.gone", exists=False, reason="no attribute"),
    }
    torch = docs_coverage(usage, records).frameworks[0]
    shares = torch.shares
    assert (torch.implementations, shares.distinct_apis, shares.calls, shares.resolved_apis) == (2, 4, 15, 3)
    assert shares.with_example.per_api.value == pytest.approx(1 / 3)       # f of f, g, h
    assert shares.with_example.by_calls.value == pytest.approx(10 / 12)    # 10 of 10 + 1 + 1 calls
    assert shares.with_docstring.per_api.value == pytest.approx(2 / 3)
    assert shares.with_docstring.by_calls.value == pytest.approx(11 / 12)
    assert shares.params_documented.per_api.value == pytest.approx(1 / 2)  # f, g
    assert shares.params_documented.by_calls.value == pytest.approx(10 / 11)
    assert torch.unresolved == (("torch.gone", "no attribute"),)
    assert torch.missing_example == (("torch.g", 1), ("torch.h", 1))
    assert torch.missing_docstring == (("torch.g", 1),)
    task_b = dict((t.task_id, t.shares) for t in torch.tasks)["b"]
    assert task_b.with_example.by_calls.value == pytest.approx(2 / 3)


def test_crashing_worker_yields_reasons_not_an_exception():
    found = run_worker("no_such_framework", ["no_such_framework.f"], timeout=60)
    assert len(found) == 1 and not found[0].exists and "worker failed" in found[0].reason


@pytest.mark.slow
def test_measure_docs_end_to_end_and_cache(tmp_path, monkeypatch):
    corpus = tmp_path / "tasks"
    for task in ("mlp_training", "cnn_forward"):
        shutil.copytree(TASKS / task, corpus / task)
    monkeypatch.chdir(tmp_path)  # the analysis cache goes under the temp folder
    starts: list[str] = []

    def counting_worker(framework, names, timeout=measure.WORKER_TIMEOUT_S):
        starts.append(framework)
        return run_worker(framework, names, timeout)

    monkeypatch.setattr(measure, "run_worker", counting_worker)
    first = measure_docs(corpus, cache_dir=tmp_path / "docs-cache")
    assert sorted(starts) == sorted({f.framework for f in first.frameworks})
    for framework in first.frameworks:
        for share in (framework.shares.with_docstring, framework.shares.params_documented, framework.shares.with_example):
            for ratio in (share.per_api, share.by_calls):
                assert ratio.value is None or 0 <= ratio.value <= 1
    table = coverage_table(first)
    assert table.splitlines()[0].startswith("framework") and "torch.nn.Linear" not in table  # Linear has an example
    assert "torch" in table and "most-used APIs without an example" in table
    document = json.loads(json.dumps(coverage_document(first)))
    assert document["schema_version"] == 1 and set(document["frameworks"]) == {f.framework for f in first.frameworks}

    starts.clear()
    second = measure_docs(corpus, cache_dir=tmp_path / "docs-cache")
    assert starts == [] and second == first  # served from the cache files
