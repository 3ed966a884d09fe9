"""Inference of a residual MLP after saving the whole model and loading it without rebuilding it.

Linear -> ReLU -> (h + Linear(h)) -> ReLU -> Linear. The reloaded model must give the outputs of the
shared weights and equal the original exactly.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    def uniform(shape, fan_in):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w_in": uniform((d_in, hidden), d_in),
        "b_in": uniform(hidden, d_in),
        "w_res": uniform((hidden, hidden), hidden),
        "b_res": uniform(hidden, hidden),
        "w_out": uniform((hidden, d_out), hidden),
        "b_out": uniform(d_out, hidden),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    h = np.maximum(p["x"] @ p["w_in"] + p["b_in"], 0.0)
    h = np.maximum(h + h @ p["w_res"] + p["b_res"], 0.0)
    return {"outputs": h @ p["w_out"] + p["b_out"], "matches_original": np.array(True)}
