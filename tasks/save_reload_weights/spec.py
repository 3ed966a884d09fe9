"""Inference of an MLP with batch normalisation (running statistics), after a save/reload round trip.

Linear -> BatchNorm (inference: stored running mean and variance) -> ReLU -> Linear. The reloaded
model must give the outputs of the shared weights, so the round trip must keep the non-trainable
running statistics as well as the trainable weights; it must also equal the original exactly.
"""

import numpy as np

BN_EPSILON = 1e-5


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "gamma": rng.uniform(0.5, 1.5, hidden).astype(np.float32),
        "beta": rng.uniform(-0.5, 0.5, hidden).astype(np.float32),
        "running_mean": rng.uniform(-0.3, 0.3, hidden).astype(np.float32),
        "running_var": rng.uniform(0.2, 0.6, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    h = p["x"] @ p["w1"] + p["b1"]
    h = (h - p["running_mean"]) / np.sqrt(p["running_var"] + BN_EPSILON) * p[
        "gamma"
    ] + p["beta"]
    outputs = np.maximum(h, 0.0) @ p["w2"] + p["b2"]
    return {"outputs": outputs, "matches_original": np.array(True)}
