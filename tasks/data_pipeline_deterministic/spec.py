"""An unshuffled pipeline: per-example map, filter, batches without the remainder, per-batch reduction.

Map: standardise the features with precomputed per-feature statistics and compute the Euclidean norm
of the raw example. Filter: drop examples of class 0. Batch: BATCH_SIZE, dropping a smaller last
batch. Reduce: the mean standardised feature vector and the largest norm of every batch.
"""

import numpy as np

BATCH_SIZE = 16


def make_inputs(rng: np.random.Generator, n: int, d: int, n_classes: int) -> dict:
    x = (3.0 + 2.0 * rng.standard_normal((n, d))).astype(np.float32)
    return {
        "x": x,
        "labels": rng.integers(0, n_classes, n, dtype=np.int64),
        # Statistics computed once beforehand, as a preprocessing step would store them.
        "mean": x.mean(axis=0, dtype=np.float64).astype(np.float32),
        "std": x.std(axis=0, dtype=np.float64).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x = inputs["x"].astype(np.float64)
    standardised = (x - inputs["mean"].astype(np.float64)) / inputs["std"].astype(
        np.float64
    )
    norm = np.sqrt(np.sum(x**2, axis=1))
    keep = inputs["labels"] != 0
    standardised, norm = standardised[keep], norm[keep]
    n_batches = len(norm) // BATCH_SIZE
    if n_batches == 0:
        raise ValueError("fewer kept examples than one batch: choose a larger n")
    full = n_batches * BATCH_SIZE
    return {
        "feature_mean": standardised[:full]
        .reshape(n_batches, BATCH_SIZE, -1)
        .mean(axis=1),
        "norm_max": norm[:full].reshape(n_batches, BATCH_SIZE).max(axis=1),
    }
