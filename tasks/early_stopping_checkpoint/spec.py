"""Early stopping on validation loss with a best-weights checkpoint, training written out in float64.

Plain mini-batch SGD on a two-layer ReLU MLP with mean squared error. After every epoch the loss on
the validation set is measured; an epoch improves when its validation loss is strictly below the best
so far, training stops once PATIENCE epochs in a row have not improved, and the weights of the best
epoch are restored. The data overfit on purpose: few noisy training examples, a wide hidden layer.
"""

import numpy as np

LEARNING_RATE = 0.2
BATCH_SIZE = 16
MAX_EPOCHS = 100
PATIENCE = 3


def make_inputs(
    rng: np.random.Generator,
    n_train: int,
    n_val: int,
    d_in: int,
    hidden: int,
    noise: float,
) -> dict:
    true_w = rng.standard_normal((d_in, 1), dtype=np.float32)

    def sample(n):
        x = rng.standard_normal((n, d_in), dtype=np.float32) / np.float32(np.sqrt(d_in))
        y = np.sin(x @ true_w) + noise * rng.standard_normal((n, 1), dtype=np.float32)
        return x, y.astype(np.float32)

    x_train, y_train = sample(n_train)
    x_val, y_val = sample(n_val)
    # Shared initial weights, drawn like the frameworks' default uniform(-1/sqrt(fan_in), +).
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x_train": x_train,
        "y_train": y_train,
        "x_val": x_val,
        "y_val": y_val,
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, 1)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, 1).astype(np.float32),
    }


def _forward(params: list, x: np.ndarray) -> np.ndarray:
    w1, b1, w2, b2 = params
    return np.maximum(x @ w1 + b1, 0.0) @ w2 + b2


def train_with_early_stopping(inputs: dict, max_epochs: int = MAX_EPOCHS) -> dict:
    """The float64 run, with what a reviewer needs to see that the stop is not a knife edge."""
    x, y = inputs["x_train"].astype(np.float64), inputs["y_train"].astype(np.float64)
    x_val, y_val = (
        inputs["x_val"].astype(np.float64),
        inputs["y_val"].astype(np.float64),
    )
    params = [inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")]
    best_loss, best_params, best_epoch, wait = np.inf, None, -1, 0
    val_history = []
    stopped_epoch = None
    for epoch in range(max_epochs):
        for start in range(0, len(x), BATCH_SIZE):
            xb, yb = x[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
            w1, b1, w2, b2 = params
            h_pre = xb @ w1 + b1
            h = np.maximum(h_pre, 0.0)
            err = h @ w2 + b2 - yb
            d_pred = 2.0 * err / err.size
            d_h = (d_pred @ w2.T) * (h_pre > 0)
            grads = [xb.T @ d_h, d_h.sum(axis=0), h.T @ d_pred, d_pred.sum(axis=0)]
            params = [p - LEARNING_RATE * g for p, g in zip(params, grads)]
        val_loss = float(np.mean((_forward(params, x_val) - y_val) ** 2))
        val_history.append(val_loss)
        if val_loss < best_loss:
            best_loss, best_params, best_epoch, wait = val_loss, params, epoch, 0
        else:
            wait += 1
            if wait >= PATIENCE:
                stopped_epoch = epoch
                break
    return {
        "stopped_epoch": stopped_epoch,
        "best_epoch": best_epoch,
        "val_loss": np.array(val_history),
        "predictions": _forward(best_params, x_val),
    }


def reference(inputs: dict) -> dict:
    run = train_with_early_stopping(inputs)
    if run["stopped_epoch"] is None:
        raise ValueError(
            f"early stopping never triggers within {MAX_EPOCHS} epochs: choose other sizes"
        )
    return {
        "stopped_epoch": np.array(run["stopped_epoch"]),
        "val_loss": run["val_loss"],
        "predictions": run["predictions"],
    }
