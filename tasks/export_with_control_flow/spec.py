"""A model with a data-dependent branch, served from an exported artifact, in float64.

h = ReLU(Linear_in(x)); if the batch mean of x is positive, h = ReLU(Linear_a(h)), otherwise
h = tanh(Linear_b(h)); output = Linear_out(h). The artifact serves one batch that takes each branch
(their means are about +0.5 and -0.5, far from the threshold 0), so both branches must survive the
export, and it serves them at two batch sizes.
"""

import numpy as np

SHIFT = 0.5


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    def uniform(shape, fan_in):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {
        "x_positive": (rng.standard_normal((n, d_in)) + SHIFT).astype(np.float32),
        "x_negative": (rng.standard_normal((n // 2, d_in)) - SHIFT).astype(np.float32),
        "w_in": uniform((d_in, hidden), d_in),
        "b_in": uniform(hidden, d_in),
        "w_a": uniform((hidden, hidden), hidden),
        "b_a": uniform(hidden, hidden),
        "w_b": uniform((hidden, hidden), hidden),
        "b_b": uniform(hidden, hidden),
        "w_out": uniform((hidden, d_out), hidden),
        "b_out": uniform(d_out, hidden),
    }


def _forward(p: dict, x: np.ndarray) -> np.ndarray:
    h = np.maximum(x @ p["w_in"] + p["b_in"], 0.0)
    if x.mean() > 0:
        h = np.maximum(h @ p["w_a"] + p["b_a"], 0.0)
    else:
        h = np.tanh(h @ p["w_b"] + p["b_b"])
    return h @ p["w_out"] + p["b_out"]


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    for name, sign in (("x_positive", 1), ("x_negative", -1)):
        if sign * p[name].mean() < 0.1:
            raise ValueError(
                f"{name}'s mean {p[name].mean():.3f} is too close to the branch threshold 0"
            )
    return {
        "positive": _forward(p, p["x_positive"]),
        "negative": _forward(p, p["x_negative"]),
    }
