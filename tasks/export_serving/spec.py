"""Forward pass of a small softmax classifier, as served by an exported and reloaded artifact.

The artifact serves the whole input batch and then a single example, so its batch size must be free."""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, n_classes: int
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, n_classes)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, n_classes).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    logits = np.maximum(p["x"] @ p["w1"] + p["b1"], 0.0) @ p["w2"] + p["b2"]
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    return {"batch": probabilities, "single": probabilities[:1]}
