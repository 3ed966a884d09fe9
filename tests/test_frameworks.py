"""The adapter registry: every adapter honours the contract, orders and names frameworks and variants."""

import pytest

from evaluator.corpus.discovery import discover
from evaluator.frameworks import (
    REQUIRED_ATTRIBUTES, adapter_names, get_adapter, implementation_name, ordered_frameworks, split_impl_key,
)

from conftest import TASKS


@pytest.mark.parametrize("name", adapter_names())
def test_every_adapter_declares_the_whole_contract(name):
    adapter = get_adapter(name)
    assert [a for a in REQUIRED_ATTRIBUTES if not hasattr(adapter, a)] == []
    assert adapter.NAME == name
    assert isinstance(adapter.ORDER, int) and isinstance(adapter.STYLE_NAME, str)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in adapter.VARIANT_NAMES.items())
    assert "array" in adapter.TENSOR_FROM_NUMPY and adapter.IMPORT_STATEMENT.startswith("import ")


def test_declared_orders_are_distinct_and_the_three_known_ones_fixed():
    orders = [get_adapter(n).ORDER for n in adapter_names()]
    assert len(set(orders)) == len(orders)
    assert ordered_frameworks(adapter_names())[:3] == ["torch", "tensorflow", "jax"]


def test_every_variant_in_the_corpus_has_a_display_name():
    """VARIANT_NAMES and the variant files in tasks/ must not drift apart."""
    variants = {(i.framework, i.variant) for t in discover(TASKS).tasks for i in t.implementations if i.variant}
    assert variants, "the corpus has variants"
    unnamed = [f"{f}_{v}" for f, v in sorted(variants) if v not in get_adapter(f).VARIANT_NAMES]
    assert unnamed == []


def test_ordered_frameworks_by_declared_order_unknown_names_last_by_name():
    assert ordered_frameworks(["jax", "tensorflow", "torch"]) == ["torch", "tensorflow", "jax"]
    assert ordered_frameworks(["mxnet", "jax", "aaa", "torch", "jax"]) == ["torch", "jax", "aaa", "mxnet"]
    assert ordered_frameworks([]) == []


@pytest.mark.parametrize(("key", "name"), [
    ("torch", "PyTorch"),
    ("tensorflow", "TensorFlow"),
    ("jax", "JAX"),
    ("torch_compiled", "torch.compile"),
    ("tensorflow_lowlevel", "low-level TensorFlow"),
    ("tensorflow_function", "tf.function"),
    ("tensorflow_explicit", "TensorFlow (explicit device placement)"),
    ("tensorflow_xyz", "TensorFlow (xyz)"),  # a variant the adapter does not name
    ("jax_jit", "JAX (jit)"),
    ("mxnet", "mxnet"),  # no adapter: unchanged
])
def test_implementation_name(key, name):
    assert implementation_name(key) == name


def test_implementation_name_in_style_names_what_primaries_are_written_with():
    assert implementation_name("tensorflow", style=True) == "Keras"
    assert implementation_name("torch", style=True) == "PyTorch"
    assert implementation_name("tensorflow_lowlevel", style=True) == "low-level TensorFlow"


def test_split_impl_key_takes_the_longest_adapter_name():
    assert split_impl_key("tensorflow_lowlevel") == ("tensorflow", "lowlevel")
    assert split_impl_key("jax") == ("jax", None)
    assert split_impl_key("torchvision_x") == ("torchvision_x", None)
