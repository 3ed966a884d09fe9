"""A custom layer, a linear map with a learned temperature: logits = (x W + b) / exp(log_t).

Forward pass, mean cross-entropy against integer labels, and its gradient with respect to the
layer's three parameters, derived by hand.
"""

import numpy as np


def make_inputs(rng: np.random.Generator, batch: int, d_in: int, units: int) -> dict:
    return {
        "x": rng.standard_normal((batch, d_in), dtype=np.float32),
        "labels": rng.integers(0, units, batch).astype(np.int64),
        "weight": (rng.standard_normal((d_in, units)) / np.sqrt(d_in)).astype(
            np.float32
        ),
        "bias": (0.1 * rng.standard_normal(units)).astype(np.float32),
        # not the identity, so it is checked
        "log_temperature": np.array(np.log(1.7), dtype=np.float32),
    }


def reference(inputs: dict) -> dict:
    x, w, b = (inputs[k].astype(np.float64) for k in ("x", "weight", "bias"))
    temperature = np.exp(float(inputs["log_temperature"]))
    labels = inputs["labels"]
    batch = len(x)

    z = x @ w + b
    logits = z / temperature
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(batch), labels].mean()

    d_logits = np.exp(log_probs)
    d_logits[np.arange(batch), labels] -= 1.0
    d_logits /= batch
    d_z = d_logits / temperature
    # d logits / d log_t = -logits, since logits = z * exp(-log_t)
    grads = {
        "weight": x.T @ d_z,
        "bias": d_z.sum(axis=0),
        "log_temperature": -np.sum(d_logits * logits),
    }
    return {"logits": logits, "loss": loss, "grads": grads}
