"""Gradient accumulation: SGD with momentum stepping once every few micro-batches, in float64.

Each micro-batch's mean squared error is backpropagated; the optimizer steps with the average of
ACCUMULATION_STEPS micro-batch gradients (the gradient of one batch of ACCUMULATION_STEPS *
MICRO_BATCH examples), then the accumulated gradient is cleared.
"""

import numpy as np

LEARNING_RATE = 0.05
MOMENTUM = 0.9
MICRO_BATCH = 8
ACCUMULATION_STEPS = 4
EPOCHS = 3


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    if n % (MICRO_BATCH * ACCUMULATION_STEPS):
        raise ValueError(
            f"n={n} must be a multiple of {MICRO_BATCH * ACCUMULATION_STEPS} (micro-batch x steps)"
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


def _forward_backward(
    params: list, xb: np.ndarray, yb: np.ndarray
) -> tuple[float, list]:
    w1, b1, w2, b2 = params
    h_pre = xb @ w1 + b1
    h = np.maximum(h_pre, 0.0)
    err = h @ w2 + b2 - yb
    d_pred = 2.0 * err / err.size
    d_h = (d_pred @ w2.T) * (h_pre > 0)
    return float(np.mean(err**2)), [
        xb.T @ d_h,
        d_h.sum(axis=0),
        h.T @ d_pred,
        d_pred.sum(axis=0),
    ]


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"].astype(np.float64)
    params = [inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")]
    velocity = [np.zeros_like(p) for p in params]
    accumulated = [np.zeros_like(p) for p in params]
    epoch_loss = []
    for _ in range(EPOCHS):
        losses = []
        for i, start in enumerate(range(0, len(x), MICRO_BATCH)):
            loss, grads = _forward_backward(
                params, x[start : start + MICRO_BATCH], y[start : start + MICRO_BATCH]
            )
            losses.append(loss)
            accumulated = [
                a + g / ACCUMULATION_STEPS for a, g in zip(accumulated, grads)
            ]
            if (i + 1) % ACCUMULATION_STEPS == 0:
                velocity = [MOMENTUM * v + a for v, a in zip(velocity, accumulated)]
                params = [p - LEARNING_RATE * v for p, v in zip(params, velocity)]
                accumulated = [np.zeros_like(p) for p in params]
        epoch_loss.append(np.mean(losses))
    w1, b1, w2, b2 = params
    predictions = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    return {"epoch_loss": np.array(epoch_loss), "predictions": predictions}
