"""A chain of elementwise operations on large float32 vectors, run through a graph compiler.

Inputs (make_inputs): `a`, `b`, `c` float32 (n,), standard normal.

run() calls a compiled function (the framework's standard compiler; the first call may include
compilation) that computes, elementwise in float32:
    t = tanh(a * b + c)
    s = sigmoid(a - c)                     # 1 / (1 + exp(-(a - c)))
    g = exp(-0.5 * b * b)
    y = t * s + 0.25 * g - 0.1 * a
    z = softplus(y)                        # log(1 + exp(y))
and returns {"y": float32 (n,), "z": float32 (n,)}.
"""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    return {name: rng.standard_normal(n, dtype=np.float32) for name in ("a", "b", "c")}


def reference(inputs: dict) -> dict:
    a, b, c = (inputs[k].astype(np.float64) for k in ("a", "b", "c"))
    t = np.tanh(a * b + c)
    s = 1.0 / (1.0 + np.exp(-(a - c)))
    g = np.exp(-0.5 * b * b)
    y = t * s + 0.25 * g - 0.1 * a
    return {"y": y, "z": np.logaddexp(0.0, y)}
