"""Forward pass of a two-layer ReLU MLP in float64, and the placement flags every device must set."""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    # Shared weights, drawn like the frameworks' default uniform(-1/sqrt(fan_in), +).
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x, w1, b1, w2, b2 = (
        inputs[k].astype(np.float64) for k in ("x", "w1", "b1", "w2", "b2")
    )
    logits = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    # [output on the requested device, model weights on the requested device]
    return {"logits": logits, "on_requested_device": np.array([1.0, 1.0])}
