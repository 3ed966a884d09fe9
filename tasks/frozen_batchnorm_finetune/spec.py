"""Fine-tuning a new head on a frozen "pretrained" backbone that contains BatchNorm, in float64.

Backbone: Linear -> BatchNorm -> ReLU, loaded with shared weights and running statistics, frozen and
run in inference mode: BatchNorm normalizes with its running statistics and never updates them. Head:
a new Linear, trained alone with softmax cross-entropy and plain mini-batch SGD, batches in a fixed
order. The backbone's features therefore do not change during training and are computed once here.
"""

import numpy as np

LEARNING_RATE = 0.01
BATCH_SIZE = 32
EPOCHS = 3
# PyTorch's default; the Keras implementations set it (Keras' default is 1e-3)
BN_EPSILON = 1e-5


def make_inputs(
    rng: np.random.Generator, n: int, n_test: int, d_in: int, hidden: int, classes: int
) -> dict:
    # The new data set is shifted and scaled with respect to the "pretraining" data, so that its batch
    # statistics differ from the backbone's running statistics: a BatchNorm left in training mode shows.
    x = (rng.standard_normal((n, d_in)) * 2.0 + 0.5).astype(np.float32)
    x_test = (rng.standard_normal((n_test, d_in)) * 2.0 + 0.5).astype(np.float32)
    teacher = rng.standard_normal((d_in, classes))
    labels = np.argmax(x @ teacher + rng.standard_normal((n, classes)), axis=1).astype(
        np.int64
    )
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": x,
        "labels": labels,
        "x_test": x_test,
        # "Pretrained" backbone: Linear kernel (fan_in, fan_out) and bias, BatchNorm affine parameters
        # and running statistics.
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "gamma": rng.uniform(0.5, 1.5, hidden).astype(np.float32),
        "beta": rng.uniform(-0.5, 0.5, hidden).astype(np.float32),
        "running_mean": rng.uniform(-0.5, 0.5, hidden).astype(np.float32),
        "running_var": rng.uniform(0.5, 2.0, hidden).astype(np.float32),
        # New head, drawn like the frameworks' default uniform(-1/sqrt(fan_in), +).
        "w2": rng.uniform(-bound2, bound2, (hidden, classes)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, classes).astype(np.float32),
    }


def _backbone(x: np.ndarray, p: dict) -> np.ndarray:
    """Linear -> BatchNorm with the running statistics (inference mode) -> ReLU."""
    h = x @ p["w1"] + p["b1"]
    normalized = (h - p["running_mean"]) / np.sqrt(p["running_var"] + BN_EPSILON) * p[
        "gamma"
    ] + p["beta"]
    return np.maximum(normalized, 0.0)


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items() if k != "labels"}
    labels = inputs["labels"]
    features = _backbone(p["x"], p)
    w2, b2 = p["w2"], p["b2"]
    for _ in range(EPOCHS):
        for start in range(0, len(features), BATCH_SIZE):
            fb, yb = (
                features[start : start + BATCH_SIZE],
                labels[start : start + BATCH_SIZE],
            )
            logits = fb @ w2 + b2
            probs = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs /= probs.sum(axis=1, keepdims=True)
            d_logits = probs
            d_logits[np.arange(len(yb)), yb] -= 1.0
            d_logits /= len(yb)  # mean cross-entropy over the batch
            w2, b2 = (
                w2 - LEARNING_RATE * (fb.T @ d_logits),
                b2 - LEARNING_RATE * d_logits.sum(axis=0),
            )
    return {
        "head_kernel": w2,
        "head_bias": b2,
        # Inference mode never updates the running statistics: they are the loaded ones.
        "running_mean": p["running_mean"],
        "running_var": p["running_var"],
        "test_logits": _backbone(p["x_test"], p) @ w2 + b2,
    }
