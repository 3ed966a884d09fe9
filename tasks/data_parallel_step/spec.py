"""Synchronous data-parallel SGD over 2 replicas equals SGD on the global batch, in float64.

Each global batch of GLOBAL_BATCH examples is split between 2 replicas; each replica computes the
gradient of its share's mean squared error and the replicas average their gradients before every
step. With equal shares that is exactly the gradient of the global batch's mean loss, so the
reference is plain mini-batch SGD on global batches (in the order of the data).
"""

import numpy as np

LEARNING_RATE = 0.05
GLOBAL_BATCH = 32
REPLICAS = 2
EPOCHS = 2


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    if n % GLOBAL_BATCH:
        raise ValueError(
            f"n={n} must be a multiple of the global batch {GLOBAL_BATCH} (equal shares per replica)"
        )
    x = rng.standard_normal((n, d_in), dtype=np.float32)
    true_w = rng.standard_normal((d_in, d_out)) / np.sqrt(d_in)
    y = np.sin(x @ true_w) + 0.1 * rng.standard_normal((n, d_out))
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
    epoch_loss = []
    for _ in range(EPOCHS):
        losses = []
        for start in range(0, len(x), GLOBAL_BATCH):
            xb, yb = x[start : start + GLOBAL_BATCH], y[start : start + GLOBAL_BATCH]
            w1, b1, w2, b2 = params
            h_pre = xb @ w1 + b1
            h = np.maximum(h_pre, 0.0)
            err = h @ w2 + b2 - yb
            losses.append(np.mean(err**2))
            d_pred = 2.0 * err / err.size
            d_h = (d_pred @ w2.T) * (h_pre > 0)
            grads = [xb.T @ d_h, d_h.sum(axis=0), h.T @ d_pred, d_pred.sum(axis=0)]
            params = [p - LEARNING_RATE * g for p, g in zip(params, grads)]
        epoch_loss.append(np.mean(losses))
    return {"epoch_loss": np.array(epoch_loss), "weights": params}
