"""Normalisation with statistics of the training split only, applied to train and val batches.

Inputs (make_inputs): `train` float32 (n_train, d) and `val` float32 (n_val, d); feature j is
offset_j + spread_j * noise with offsets in [-4, 4) and spreads in [1, 4). The validation split
has a shifted distribution (its own offsets differ), so statistics taken from it are visibly wrong.

run(): mean = train.mean(axis=0); std = sqrt(((train - mean) ** 2).mean(axis=0)) (biased, no
epsilon); every batch of BATCH_SIZE consecutive rows of each split normalised as (x - mean) / std.
Output: {"mean": (d,), "std": (d,), "train": (n_train, d), "val": (n_val, d)}, float32.
"""

import numpy as np

BATCH_SIZE = 256


def make_inputs(rng: np.random.Generator, n_train: int, n_val: int, d: int) -> dict:
    offsets = rng.uniform(-4.0, 4.0, d)
    spreads = rng.uniform(1.0, 4.0, d)
    val_shift = rng.uniform(-1.0, 1.0, d) * spreads
    return {
        "train": (offsets + spreads * rng.standard_normal((n_train, d))).astype(
            np.float32
        ),
        "val": (offsets + val_shift + spreads * rng.standard_normal((n_val, d))).astype(
            np.float32
        ),
    }


def reference(inputs: dict) -> dict:
    train, val = inputs["train"].astype(np.float64), inputs["val"].astype(np.float64)
    mean = train.mean(axis=0)
    std = np.sqrt(((train - mean) ** 2).mean(axis=0))
    # Batching does not change a row-wise normalisation: the concatenated batches equal the whole.
    return {
        "mean": mean,
        "std": std,
        "train": (train - mean) / std,
        "val": (val - mean) / std,
    }
