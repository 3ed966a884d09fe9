"""A small softmax classifier with layer normalisation, as run by a portable runtime after conversion.

Linear -> LayerNorm (learned scale and offset, epsilon 1e-5) -> ReLU -> Linear -> softmax. The
converted model serves the whole batch and then its first example alone, so its batch size must
be free.
"""

import numpy as np

LN_EPSILON = 1e-5


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, n_classes: int
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "gamma": rng.uniform(0.5, 1.5, hidden).astype(np.float32),
        "beta": rng.uniform(-0.5, 0.5, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, n_classes)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, n_classes).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    h = p["x"] @ p["w1"] + p["b1"]
    h = (h - h.mean(axis=1, keepdims=True)) / np.sqrt(
        h.var(axis=1, keepdims=True) + LN_EPSILON
    )
    logits = np.maximum(h * p["gamma"] + p["beta"], 0.0) @ p["w2"] + p["b2"]
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    return {"batch": probabilities, "single": probabilities[:1]}
