"""The input pipeline of each of 2 data-parallel workers: its shard of the data, standardised and
batched, in float64.

Worker r of W = 2 gets the examples r, r + W, r + 2W, ... in order (an interleaved shard: both
frameworks' sharding without shuffling), standardises the features with the given mean and standard
deviation, and batches them by BATCH_SIZE.
"""

import numpy as np

WORKERS = 2
BATCH_SIZE = 8


def make_inputs(rng: np.random.Generator, n: int, d: int) -> dict:
    if n % (WORKERS * BATCH_SIZE):
        raise ValueError(
            f"n={n} must be a multiple of {WORKERS * BATCH_SIZE} (workers x batch size)"
        )
    offset = rng.uniform(-5, 5, d)
    scale = rng.uniform(0.5, 5, d)
    x = offset + scale * rng.standard_normal((n, d))
    return {
        "features": x.astype(np.float32),
        "labels": rng.integers(0, 10, n).astype(np.int64),
        "mean": offset.astype(np.float32),
        "std": scale.astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x = (
        inputs["features"].astype(np.float64) - inputs["mean"].astype(np.float64)
    ) / inputs["std"].astype(np.float64)
    features, labels = [], []
    for rank in range(WORKERS):
        shard_x, shard_y = x[rank::WORKERS], inputs["labels"][rank::WORKERS]
        features.append(shard_x.reshape(-1, BATCH_SIZE, x.shape[1]))
        labels.append(shard_y.reshape(-1, BATCH_SIZE))
    return {"features": np.stack(features), "labels": np.stack(labels)}
