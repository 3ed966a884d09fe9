"""Batched inference of a fixed MLP classifier: accuracy, mean cross-entropy, confusion matrix.

The confusion matrix counts arg-max predictions, which a tie or near-tie between the two largest
logits could flip between float32 and float64; make_inputs keeps only samples whose top two float64
logits differ by at least MIN_MARGIN, so the exact counts are well defined.
"""

import numpy as np

BATCH_SIZE = 256
MIN_MARGIN = 1e-3


def logits_of(x: np.ndarray, p: dict) -> np.ndarray:
    return np.maximum(x @ p["w1"] + p["b1"], 0.0) @ p["w2"] + p["b2"]


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, classes: int
) -> dict:
    if n % BATCH_SIZE:
        raise ValueError(
            f"n={n} must be a multiple of BATCH_SIZE={BATCH_SIZE}: the mean of batch means is then the sample mean"
        )
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    weights = {
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        # confident: accuracy ~0.6
        "w2": (10 * rng.uniform(-bound2, bound2, (hidden, classes))).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, classes).astype(np.float32),
    }
    p = {k: v.astype(np.float64) for k, v in weights.items()}
    # a few spares
    candidates = rng.standard_normal((n + n // 8 + 64, d_in), dtype=np.float32)
    logits = logits_of(candidates.astype(np.float64), p)
    top_two = np.sort(logits, axis=1)[:, -2:]
    clear = np.flatnonzero(top_two[:, 1] - top_two[:, 0] >= MIN_MARGIN)
    if len(clear) < n:
        raise ValueError(
            "too few samples with a clear arg-max; raise the candidate count"
        )
    keep = clear[:n]
    # Labels drawn from the model's own softmax (Gumbel-max), so accuracy is high but not perfect.
    labels = np.argmax(logits[keep] + rng.gumbel(size=(n, classes)), axis=1)
    return {"x": candidates[keep], "labels": labels.astype(np.int64), **weights}


def reference(inputs: dict) -> dict:
    p = {k: inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")}
    logits = logits_of(inputs["x"].astype(np.float64), p)
    labels = inputs["labels"]
    classes = logits.shape[1]
    predicted = logits.argmax(axis=1)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    confusion = np.zeros((classes, classes))
    # rows: true class, columns: predicted class
    np.add.at(confusion, (labels, predicted), 1)
    return {
        "accuracy": np.mean(predicted == labels),
        "mean_cross_entropy": -np.mean(log_probs[np.arange(len(labels)), labels]),
        "confusion_matrix": confusion,
    }
