"""Mini-batch SGD on a two-layer ReLU MLP with MSE loss, backpropagation written out in float64."""

import numpy as np

LEARNING_RATE = 0.05
BATCH_SIZE = 16
EPOCHS = 5


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    x = rng.standard_normal((n, d_in), dtype=np.float32)
    true_w = rng.standard_normal((d_in, d_out), dtype=np.float32)
    y = np.sin(x @ true_w) + 0.1 * rng.standard_normal((n, d_out), dtype=np.float32)
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
    w1, b1, w2, b2 = (inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2"))
    epoch_loss = []
    for _ in range(EPOCHS):
        batch_losses = []
        for start in range(0, len(x), BATCH_SIZE):
            xb, yb = x[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
            h_pre = xb @ w1 + b1
            h = np.maximum(h_pre, 0.0)
            pred = h @ w2 + b2
            err = pred - yb
            batch_losses.append(np.mean(err**2))
            d_pred = 2.0 * err / err.size
            d_w2, d_b2 = h.T @ d_pred, d_pred.sum(axis=0)
            d_h = (d_pred @ w2.T) * (h_pre > 0)
            d_w1, d_b1 = xb.T @ d_h, d_h.sum(axis=0)
            w1, b1 = w1 - LEARNING_RATE * d_w1, b1 - LEARNING_RATE * d_b1
            w2, b2 = w2 - LEARNING_RATE * d_w2, b2 - LEARNING_RATE * d_b2
        epoch_loss.append(np.mean(batch_losses))
    predictions = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    return {"epoch_loss": np.array(epoch_loss), "predictions": predictions}
