"""API surface: canonical names through every import form, and the counts built on them (by hand)."""

from __future__ import annotations

import textwrap

import pytest

from evaluator.analysis.api_surface import api_surface, namespace
from evaluator.analysis.analysis_types import framework_roots

ROOTS = frozenset({"torch", "tensorflow", "keras"})


def surface(source: str):
    return api_surface(textwrap.dedent(source), ROOTS)


@pytest.mark.parametrize(("source", "expected"), [
    ("import tensorflow as tf\ntf.keras.layers.Dense(3)\n", "tensorflow.keras.layers.Dense"),
    ("from tensorflow.keras import layers\nlayers.Dense(3)\n", "tensorflow.keras.layers.Dense"),
    ("from tensorflow import keras\nkeras.layers.Dense(3)\n", "tensorflow.keras.layers.Dense"),
    ("from torch import nn\nnn.Linear(2, 3)\n", "torch.nn.Linear"),
    ("import torch.nn.functional as F\nF.relu(x)\n", "torch.nn.functional.relu"),
    ("import torch.nn\ntorch.nn.Linear(2, 3)\n", "torch.nn.Linear"),
    ("from torch.nn import Linear as L\nL(2, 3)\n", "torch.nn.Linear"),
    ("def f():\n    import torch\n    return torch.zeros(3)\n", "torch.zeros"),
    ("import keras\nkeras.layers.Dense(3)\n", "keras.layers.Dense"),  # Keras keeps its own namespace
    ("if TYPE_CHECKING: import torch as th\nth.zeros(3)\n", "torch.zeros"),
    ("try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None\ntf.zeros(3)\n", "tensorflow.zeros"),
])
def test_every_import_form_reaches_the_canonical_name(source, expected):
    result = surface(source)
    assert result.apis == ((expected, 1),)
    assert result.calls == 1


def test_names_that_are_not_framework_references():
    result = surface("""\
        import numpy as np
        from . import torch_helpers
        from .models import tf
        import torchvision
        np.zeros(3)
        tf.constant(1)
        torchvision.models.resnet18()
        def f(nn, keras=1):
            return dict(torch=1)
        """)
    assert result.apis == () and result.references == 0 and result.calls == 0


def test_counts_of_a_mixed_file():
    result = surface("""\
        import tensorflow as tf
        import torch.nn.functional as F
        from torch import nn
        from tensorflow.keras import layers
        import torch.optim
        import keras
        from . import helpers
        import numpy as np

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2, bias=False)

            def forward(self, x):
                return F.relu(self.fc(x))

        @tf.function(jit_compile=True)
        def step(x):
            a = tf.keras.layers.Dense(3)
            b = layers.Dense(3, activation="relu")
            c = keras.layers.Dense(3)
            opt = torch.optim.SGD([], lr=0.1)
            helpers.run(x)
            return np.zeros(3), a, b, c, opt
        """)
    assert dict(result.apis) == {
        "keras.layers.Dense": 1,
        "tensorflow.function": 1,
        "tensorflow.keras.layers.Dense": 2,
        "torch.nn.Linear": 1,
        "torch.nn.Module": 1,
        "torch.nn.functional.relu": 1,
        "torch.optim.SGD": 1,
    }
    assert (result.distinct_apis, result.references, result.calls, result.call_keywords) == (7, 8, 7, 4)
    assert result.subclassed == ("torch.nn.Module",)
    assert result.decorators == 1
    assert result.namespaces == ("keras.layers", "tensorflow", "tensorflow.keras.layers", "torch.nn",
                                 "torch.nn.functional", "torch.optim")
    # super().__init__() is plain Python; self.fc(x) calls the module's own attribute
    assert result.unresolved_method_calls == ()


def test_method_calls_on_values_of_unknown_type():
    result = surface("""\
        import torch

        class Block(torch.nn.Module):
            def forward(self, x):
                self.helper(x)
                return self.register_buffer("b", x)

            def helper(self, x):
                return x

        def train(model, loader, opt):
            model.train()
            losses = []
            for xb in loader:
                loss = model(xb).sum()
                loss.backward()
                losses.append(loss.item())
            t = torch.zeros(3)
            t.copy(t)
            state = {}
            state.update(a=1)
            opt.zero_grad(set_to_none=True)
            return losses.copy()
        """)
    # counted: a method inherited from the framework class, methods on parameters and on values
    # derived from them, and `copy` on a framework value even though lists have a `copy` too;
    # not counted: the class's own method, methods of list and dict values
    assert dict(result.unresolved_method_calls) == {
        "backward": 1, "copy": 1, "item": 1, "register_buffer": 1, "sum": 1, "train": 1, "zero_grad": 1,
    }
    assert result.unresolved_method_call_count == 7
    assert result.unresolved_method_call_keywords == 1


def test_framework_values_flow_through_assignments_loops_and_with():
    result = surface("""\
        import tensorflow as tf
        dataset = tf.data.Dataset.from_tensor_slices(x).batch(4)
        for batch in dataset:
            batch.get(0)
        with tf.GradientTape() as tape:
            y = f(batch)
        tape.gradient(y, w)
        """)
    # `batch` (after the resolved call) and `get` on an element of a framework dataset; `gradient`
    # on the tape; `get` would be skipped on a value of unknown type (dicts have one)
    assert dict(result.unresolved_method_calls) == {"batch": 1, "get": 1, "gradient": 1}


def test_no_method_calls_are_counted_in_a_file_without_a_framework():
    assert surface("import numpy as np\ndef f(model):\n    model.fit(x)\n").unresolved_method_calls == ()


@pytest.mark.parametrize(("name", "expected"), [
    ("torch.nn.Linear", "torch.nn"), ("torch.einsum", "torch"), ("torch", "torch"),
    ("tensorflow.data.Dataset.from_tensor_slices", "tensorflow.data"),
    ("tensorflow.keras.layers.Dense", "tensorflow.keras.layers"), ("torch.nn.functional.relu", "torch.nn.functional"),
])
def test_namespace_stops_at_the_first_class_or_the_last_name(name, expected):
    assert namespace(name) == expected


def test_framework_roots_come_from_the_adapters():
    assert {"torch", "tensorflow", "keras"} <= framework_roots()
