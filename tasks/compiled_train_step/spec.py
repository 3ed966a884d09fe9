"""Mini-batch SGD with momentum on a three-layer ReLU MLP classifier, backpropagation in float64."""

import numpy as np

LEARNING_RATE = 0.05
MOMENTUM = 0.9
BATCH_SIZE_KEY = "batch_size"


def make_inputs(
    rng: np.random.Generator,
    n: int,
    batch_size: int,
    d_in: int,
    hidden: int,
    classes: int,
) -> dict:
    def weights(fan_in, fan_out):
        return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(
            np.float32
        )

    if n % batch_size:
        raise ValueError(f"n = {n} must be a multiple of batch_size = {batch_size}")
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "y": rng.integers(0, classes, n).astype(np.int64),
        "batch_size": np.int64(batch_size),
        "w1": weights(d_in, hidden),
        "b1": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w2": weights(hidden, hidden),
        "b2": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w3": weights(hidden, classes),
        "b3": (0.1 * rng.standard_normal(classes)).astype(np.float32),
    }


def gradients(params: list, x: np.ndarray, y: np.ndarray) -> tuple:
    w1, b1, w2, b2, w3, b3 = params
    z1 = x @ w1 + b1
    h1 = np.maximum(z1, 0.0)
    z2 = h1 @ w2 + b2
    h2 = np.maximum(z2, 0.0)
    logits = h2 @ w3 + b3
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows = np.arange(len(x))
    loss = -np.mean(np.log(probs[rows, y]))
    d_logits = probs
    d_logits[rows, y] -= 1.0
    d_logits /= len(x)
    d_z2 = (d_logits @ w3.T) * (z2 > 0)
    d_z1 = (d_z2 @ w2.T) * (z1 > 0)
    grads = [
        x.T @ d_z1,
        d_z1.sum(0),
        h1.T @ d_z2,
        d_z2.sum(0),
        h2.T @ d_logits,
        d_logits.sum(0),
    ]
    return loss, grads


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"]
    batch_size = int(inputs["batch_size"])
    params = [
        inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2", "w3", "b3")
    ]
    velocity = [np.zeros_like(p) for p in params]
    losses = []
    for start in range(0, len(x), batch_size):
        loss, grads = gradients(
            params, x[start : start + batch_size], y[start : start + batch_size]
        )
        losses.append(loss)
        # PyTorch's SGD momentum (v = m v + g; p -= lr v); Keras' form (v = m v - lr g; p += v) is the
        # same sequence of weights for a constant learning rate.
        velocity = [MOMENTUM * v + g for v, g in zip(velocity, grads)]
        params = [p - LEARNING_RATE * v for p, v in zip(params, velocity)]
    return {"losses": np.array(losses), "weights": params}
