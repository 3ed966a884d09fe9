"""Hidden activations and output of a three-layer ReLU MLP, in float64."""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    # Shared weights, drawn like the frameworks' default uniform(-1/sqrt(fan_in), +).
    b_in, b_hidden = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": rng.uniform(-b_in, b_in, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-b_in, b_in, hidden).astype(np.float32),
        "w2": rng.uniform(-b_hidden, b_hidden, (hidden, hidden)).astype(np.float32),
        "b2": rng.uniform(-b_hidden, b_hidden, hidden).astype(np.float32),
        "w3": rng.uniform(-b_hidden, b_hidden, (hidden, d_out)).astype(np.float32),
        "b3": rng.uniform(-b_hidden, b_hidden, d_out).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x = inputs["x"].astype(np.float64)
    w1, b1, w2, b2, w3, b3 = (
        inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2", "w3", "b3")
    )
    hidden1 = np.maximum(x @ w1 + b1, 0.0)
    hidden2 = np.maximum(hidden1 @ w2 + b2, 0.0)
    return {"hidden1": hidden1, "hidden2": hidden2, "output": hidden2 @ w3 + b3}
