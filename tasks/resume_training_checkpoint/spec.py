"""Training interrupted by a checkpoint and resumed must equal uninterrupted training, in float64.

Mini-batch SGD with momentum on a two-layer ReLU MLP with mean squared error, EPOCHS_BEFORE +
EPOCHS_AFTER epochs without a break: the reference. The implementations stop after EPOCHS_BEFORE
epochs, save model and optimizer state, restore both into freshly built objects and train on, so
they match only if the momentum buffers survive the round trip as well as the weights.
"""

import numpy as np

LEARNING_RATE = 0.05
MOMENTUM = 0.9
BATCH_SIZE = 16
EPOCHS_BEFORE = 2
EPOCHS_AFTER = 2


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
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
    velocity = [np.zeros_like(p) for p in params]
    epoch_loss = []
    for _ in range(EPOCHS_BEFORE + EPOCHS_AFTER):
        losses = []
        for start in range(0, len(x), BATCH_SIZE):
            xb, yb = x[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
            w1, b1, w2, b2 = params
            h_pre = xb @ w1 + b1
            h = np.maximum(h_pre, 0.0)
            err = h @ w2 + b2 - yb
            losses.append(np.mean(err**2))
            d_pred = 2.0 * err / err.size
            d_h = (d_pred @ w2.T) * (h_pre > 0)
            grads = [xb.T @ d_h, d_h.sum(axis=0), h.T @ d_pred, d_pred.sum(axis=0)]
            velocity = [MOMENTUM * v + g for v, g in zip(velocity, grads)]
            params = [p - LEARNING_RATE * v for p, v in zip(params, velocity)]
        epoch_loss.append(np.mean(losses))
    w1, b1, w2, b2 = params
    return {
        "epoch_loss": np.array(epoch_loss),
        "predictions": np.maximum(x @ w1 + b1, 0.0) @ w2 + b2,
    }
