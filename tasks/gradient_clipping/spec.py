"""One SGD step of a two-layer ReLU MLP with gradients clipped by their global norm, in float64."""

import numpy as np

LEARNING_RATE = 0.1
MAX_NORM = 0.5
# large targets: the pre-clip global norm exceeds MAX_NORM at both sizes (2.2 small, 0.64 large)
TARGET_SCALE = 5.0


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    x = rng.standard_normal((n, d_in), dtype=np.float32)
    true_w = rng.standard_normal((d_in, d_out)) / np.sqrt(d_in)
    y = TARGET_SCALE * np.sin(x @ true_w) + 0.1 * rng.standard_normal((n, d_out))
    # Shared initial weights, drawn like the frameworks' default uniform(-1/sqrt(fan_in), +).
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": x,
        "y": y.astype(np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"].astype(np.float64)
    params = [inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")]
    w1, b1, w2, b2 = params
    h_pre = x @ w1 + b1
    h = np.maximum(h_pre, 0.0)
    err = h @ w2 + b2 - y
    d_pred = 2.0 * err / err.size  # mean squared error over every element
    d_h = (d_pred @ w2.T) * (h_pre > 0)
    grads = [x.T @ d_h, d_h.sum(axis=0), h.T @ d_pred, d_pred.sum(axis=0)]
    global_norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = min(1.0, MAX_NORM / global_norm)
    return {
        "grad_norm": global_norm,
        "weights": [p - LEARNING_RATE * scale * g for p, g in zip(params, grads)],
    }
