"""Forward pass and mean cross-entropy loss of a three-layer ReLU MLP classifier, in float64."""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, classes: int
) -> dict:
    # Shared weights with He-normal scale, so the logits spread (about unit variance) and the loss
    # is far from the uniform-prediction value log(classes) that a broken model would also give.
    def weights(fan_in, fan_out):
        return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(
            np.float32
        )

    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "y": rng.integers(0, classes, n).astype(np.int64),
        "w1": weights(d_in, hidden),
        "b1": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w2": weights(hidden, hidden),
        "b2": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w3": weights(hidden, classes),
        "b3": (0.1 * rng.standard_normal(classes)).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x = inputs["x"].astype(np.float64)
    w1, b1, w2, b2, w3, b3 = (
        inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2", "w3", "b3")
    )
    h1 = np.maximum(x @ w1 + b1, 0.0)
    h2 = np.maximum(h1 @ w2 + b2, 0.0)
    logits = h2 @ w3 + b3
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(len(x)), inputs["y"]])
    return {"logits": logits, "loss": loss}
