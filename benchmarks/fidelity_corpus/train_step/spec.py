"""One SGD step on relu(x W1 + b1) W2 + b2 with mean squared error; the output is the step's loss
(computed before the update), so only the first call's value is checked."""

import numpy as np

LEARNING_RATE = 0.01


def make_inputs(rng: np.random.Generator, batch: int, d_in: int, hidden: int, d_out: int) -> dict:
    return {
        "x": rng.standard_normal((batch, d_in), dtype=np.float32),
        "y": rng.standard_normal((batch, d_out), dtype=np.float32),
        "w1": (rng.standard_normal((d_in, hidden)) / np.sqrt(d_in)).astype(np.float32),
        "b1": np.zeros(hidden, dtype=np.float32),
        "w2": (rng.standard_normal((hidden, d_out)) / np.sqrt(hidden)).astype(np.float32),
        "b2": np.zeros(d_out, dtype=np.float32),
    }


def reference(inputs: dict) -> np.ndarray:
    x, y, w1, b1, w2, b2 = (inputs[k].astype(np.float64) for k in ("x", "y", "w1", "b1", "w2", "b2"))
    prediction = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    return np.asarray(np.mean((prediction - y) ** 2))
