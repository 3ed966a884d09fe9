"""Mean cross-entropy and accuracy of a fixed MLP over a data set, evaluated in batches.

Model: Linear(d_in, hidden) -> ReLU -> Linear(hidden, classes), shared float32 weights `w1`
(d_in, hidden), `b1` (hidden,), `w2` (hidden, classes), `b2` (classes,), kernels laid out
(fan_in, fan_out). Data: `x` float32 (n, d_in), `labels` int64 (n,) in 0..classes-1.

run() evaluates the model on batches of BATCH_SIZE consecutive samples in order, the last batch
partial (n % BATCH_SIZE != 0 at every size), and returns {"mean_cross_entropy": (), the softmax
cross-entropy averaged over all n samples (each sample weighs the same, so the partial batch
weighs less than a full one: not the mean of the batch means); "accuracy": (), the fraction of
the n samples whose arg-max logit is the label; "batch_losses": (num_batches,), the mean
cross-entropy of each batch}, float32.

make_inputs keeps only samples whose two largest float64 logits differ by at least MIN_MARGIN, so
the arg-max cannot differ between float32 and float64 and accuracy is exact.
"""

import numpy as np

BATCH_SIZE = 100
MIN_MARGIN = 1e-3


def logits_of(x: np.ndarray, p: dict) -> np.ndarray:
    return np.maximum(x @ p["w1"] + p["b1"], 0.0) @ p["w2"] + p["b2"]


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, classes: int
) -> dict:
    if n % BATCH_SIZE == 0:
        raise ValueError(
            f"n={n} must not be a multiple of {BATCH_SIZE}: the last batch is partial"
        )
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    weights = {
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": (10 * rng.uniform(-bound2, bound2, (hidden, classes))).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, classes).astype(np.float32),
    }
    p = {k: v.astype(np.float64) for k, v in weights.items()}
    candidates = rng.standard_normal((n + n // 8 + 64, d_in), dtype=np.float32)
    logits = logits_of(candidates.astype(np.float64), p)
    top_two = np.sort(logits, axis=1)[:, -2:]
    clear = np.flatnonzero(top_two[:, 1] - top_two[:, 0] >= MIN_MARGIN)
    if len(clear) < n:
        raise ValueError("too few samples with a clear arg-max")
    keep = clear[:n]
    # Labels drawn from the model's own softmax (Gumbel-max): accuracy high but not perfect.
    labels = np.argmax(logits[keep] + rng.gumbel(size=(n, classes)), axis=1)
    return {"x": candidates[keep], "labels": labels.astype(np.int64), **weights}


def reference(inputs: dict) -> dict:
    p = {k: inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")}
    logits = logits_of(inputs["x"].astype(np.float64), p)
    labels = inputs["labels"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    losses = -log_probs[np.arange(len(labels)), labels]
    batch_losses = [
        losses[start : start + BATCH_SIZE].mean()
        for start in range(0, len(labels), BATCH_SIZE)
    ]
    return {
        "mean_cross_entropy": losses.mean(),
        "accuracy": np.mean(logits.argmax(axis=1) == labels),
        "batch_losses": np.array(batch_losses),
    }
