"""A model that normalises its raw inputs with statistics adapted from training data, served from an
exported artifact, in float64.

mean and variance (population, ddof=0) are computed per feature from x_train; the served model
computes ReLU(((x - mean) / sqrt(variance)) W1 + b1) W2 + b2 on raw inputs. The artifact serves the
whole batch and then its first example alone, so its batch size must be free.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n_train: int, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    # Raw features on different scales and offsets, as real tabular data has.
    offset = rng.uniform(-5, 5, d_in)
    scale = rng.uniform(0.5, 5, d_in)
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x_train": (offset + scale * rng.standard_normal((n_train, d_in))).astype(
            np.float32
        ),
        "x": (offset + scale * rng.standard_normal((n, d_in))).astype(np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    mean, variance = p["x_train"].mean(axis=0), p["x_train"].var(axis=0)
    normalized = (p["x"] - mean) / np.sqrt(variance)
    outputs = np.maximum(normalized @ p["w1"] + p["b1"], 0.0) @ p["w2"] + p["b2"]
    return {"batch": outputs, "single": outputs[:1]}
