"""Loss and gradients of one SGD step of a ReLU MLP classifier, derived by hand in float64."""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, classes: int
) -> dict:
    # Shared weights with He-normal scale, so logits spread (about unit variance) and the loss and
    # gradients are well away from the values an untrained (uniform-output) model gives.
    def weights(fan_in, fan_out):
        return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(
            np.float32
        )

    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "y": rng.integers(0, classes, n).astype(np.int64),
        "w1": weights(d_in, hidden),
        "b1": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w2": weights(hidden, classes),
        "b2": (0.1 * rng.standard_normal(classes)).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"]
    w1, b1, w2, b2 = (inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2"))
    h_pre = x @ w1 + b1
    h = np.maximum(h_pre, 0.0)
    logits = h @ w2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows = np.arange(len(x))
    loss = -np.mean(np.log(probs[rows, y]))
    d_logits = probs.copy()
    d_logits[rows, y] -= 1.0
    d_logits /= len(x)
    d_h = (d_logits @ w2.T) * (h_pre > 0)
    gradients = {
        "w1": x.T @ d_h,
        "b1": d_h.sum(axis=0),
        "w2": h.T @ d_logits,
        "b2": d_logits.sum(axis=0),
    }
    # reduced_precision: 1 when the logits were computed in the 16-bit compute type.
    return {"loss": loss, "gradients": gradients, "reduced_precision": 1.0}
