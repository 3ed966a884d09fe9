"""Per-sample gradients of a tanh MLP classifier's cross-entropy loss, in float64.

For every example i of the batch, the gradient of loss_i = cross_entropy(logits_i, label_i) with
respect to every parameter (kernels laid out (fan_in, fan_out)): one gradient per example, not
their mean.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, n_classes: int
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "labels": rng.integers(0, n_classes, n).astype(np.int64),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, n_classes)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, n_classes).astype(np.float32),
    }


def reference(inputs: dict) -> list:
    x = inputs["x"].astype(np.float64)
    w1, b1, w2, b2 = (inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2"))
    h = np.tanh(x @ w1 + b1)
    logits = h @ w2 + b2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    # per example: no division by the batch size
    d_logits = p - np.eye(w2.shape[1])[inputs["labels"]]
    d_h = (d_logits @ w2.T) * (1 - h**2)
    return [
        np.einsum("ni,nj->nij", x, d_h),
        d_h,
        np.einsum("ni,nj->nij", h, d_logits),
        d_logits,
    ]
