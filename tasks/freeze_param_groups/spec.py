"""Fine-tuning with a frozen first layer and a learning rate per parameter group, in float64.

Linear -> ReLU -> Linear -> ReLU -> Linear with mean squared error and plain mini-batch SGD. The first
Linear ("frozen") never changes; the second ("body") steps with BODY_LR and the last ("head") with
HEAD_LR.
"""

import numpy as np

BODY_LR = 0.01
HEAD_LR = 0.1
BATCH_SIZE = 16
EPOCHS = 3


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    x = rng.standard_normal((n, d_in), dtype=np.float32)
    true_w = rng.standard_normal((d_in, d_out)) / np.sqrt(d_in)
    y = np.sin(x @ true_w) + 0.1 * rng.standard_normal((n, d_out))
    # Shared initial ("pretrained") weights, (fan_in, fan_out) kernels, drawn like the defaults.
    shapes = {"1": (d_in, hidden), "2": (hidden, hidden), "3": (hidden, d_out)}
    weights = {}
    for i, (fan_in, fan_out) in shapes.items():
        bound = 1 / np.sqrt(fan_in)
        weights[f"w{i}"] = rng.uniform(-bound, bound, (fan_in, fan_out)).astype(
            np.float32
        )
        weights[f"b{i}"] = rng.uniform(-bound, bound, fan_out).astype(np.float32)
    return {"x": x, "y": y.astype(np.float32), **weights}


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"].astype(np.float64)
    w1, b1, w2, b2, w3, b3 = (
        inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2", "w3", "b3")
    )
    epoch_loss = []
    for _ in range(EPOCHS):
        losses = []
        for start in range(0, len(x), BATCH_SIZE):
            xb, yb = x[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
            h1 = np.maximum(xb @ w1 + b1, 0.0)
            h2_pre = h1 @ w2 + b2
            h2 = np.maximum(h2_pre, 0.0)
            err = h2 @ w3 + b3 - yb
            losses.append(np.mean(err**2))
            d_pred = 2.0 * err / err.size
            d_h2 = (d_pred @ w3.T) * (h2_pre > 0)
            # The frozen layer gets no update, so its gradient is never needed.
            w2, b2 = w2 - BODY_LR * (h1.T @ d_h2), b2 - BODY_LR * d_h2.sum(axis=0)
            w3, b3 = w3 - HEAD_LR * (h2.T @ d_pred), b3 - HEAD_LR * d_pred.sum(axis=0)
        epoch_loss.append(np.mean(losses))
    return {"epoch_loss": np.array(epoch_loss), "weights": [w1, b1, w2, b2, w3, b3]}
