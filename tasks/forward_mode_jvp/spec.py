"""Forward-mode derivatives (Jacobian-vector products) of a tanh MLP, in float64.

1. With respect to the inputs: the model's outputs and their directional derivative along a tangent
   of the inputs' shape.
2. With respect to the parameters: the mean squared error on targets and its directional derivative
   along one tangent per parameter (kernels laid out (fan_in, fan_out)).
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    f32 = np.float32
    return {
        "x": rng.standard_normal((n, d_in), dtype=f32),
        "y": rng.standard_normal((n, d_out), dtype=f32),
        "x_tangent": rng.standard_normal((n, d_in), dtype=f32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(f32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(f32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(f32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(f32),
        "w1_tangent": rng.standard_normal((d_in, hidden), dtype=f32),
        "b1_tangent": rng.standard_normal(hidden, dtype=f32),
        "w2_tangent": rng.standard_normal((hidden, d_out), dtype=f32),
        "b2_tangent": rng.standard_normal(d_out, dtype=f32),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    h = np.tanh(p["x"] @ p["w1"] + p["b1"])
    outputs = h @ p["w2"] + p["b2"]
    input_jvp = ((p["x_tangent"] @ p["w1"]) * (1 - h**2)) @ p["w2"]
    err = outputs - p["y"]
    d_h = (p["x"] @ p["w1_tangent"] + p["b1_tangent"]) * (1 - h**2)
    d_outputs = d_h @ p["w2"] + h @ p["w2_tangent"] + p["b2_tangent"]
    return {
        "outputs": outputs,
        "input_jvp": input_jvp,
        "loss": np.mean(err**2),
        "param_jvp": np.mean(2 * err * d_outputs),
    }
