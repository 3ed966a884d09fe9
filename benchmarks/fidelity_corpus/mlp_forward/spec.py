"""relu(x W1 + b1) W2 + b2 with shared weights."""

import numpy as np


def make_inputs(rng: np.random.Generator, batch: int, d_in: int, hidden: int, d_out: int) -> dict:
    return {
        "x": rng.standard_normal((batch, d_in), dtype=np.float32),
        "w1": (rng.standard_normal((d_in, hidden)) / np.sqrt(d_in)).astype(np.float32),
        "b1": rng.standard_normal(hidden).astype(np.float32) * np.float32(0.1),
        "w2": (rng.standard_normal((hidden, d_out)) / np.sqrt(hidden)).astype(np.float32),
        "b2": rng.standard_normal(d_out).astype(np.float32) * np.float32(0.1),
    }


def reference(inputs: dict) -> np.ndarray:
    x, w1, b1, w2, b2 = (inputs[k].astype(np.float64) for k in ("x", "w1", "b1", "w2", "b2"))
    return np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
