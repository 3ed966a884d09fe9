"""Intermediate activations of a residual MLP classifier, in float64.

stem = relu(x W_s + b_s); inner = relu(stem W_i + b_i); block = relu(stem + inner W_l + b_l);
logits = block W_h + b_h. The residual connection is why the model is written as a subclass.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, classes: int
) -> dict:
    def weights(fan_in, fan_out):
        return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(
            np.float32
        )

    def bias(size):
        return (0.1 * rng.standard_normal(size)).astype(np.float32)

    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w_stem": weights(d_in, hidden),
        "b_stem": bias(hidden),
        "w_inner": weights(hidden, hidden),
        "b_inner": bias(hidden),
        "w_linear": weights(hidden, hidden),
        "b_linear": bias(hidden),
        "w_head": weights(hidden, classes),
        "b_head": bias(classes),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    stem = np.maximum(p["x"] @ p["w_stem"] + p["b_stem"], 0.0)
    inner = np.maximum(stem @ p["w_inner"] + p["b_inner"], 0.0)
    block = np.maximum(stem + inner @ p["w_linear"] + p["b_linear"], 0.0)
    logits = block @ p["w_head"] + p["b_head"]
    return {"stem": stem, "block_inner": inner, "block": block, "logits": logits}
