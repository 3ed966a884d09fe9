"""Sliding-window forecasting examples from a multivariate time series, batched in order.

From a float32 series of shape (T, F): example i (i = 0 .. T - window - 1) has as input the rows
i .. i + window - 1 (shape (window, F)) and as target feature 0 of row i + window, the row right
after the window. That makes T - window examples: every row from `window` on is a target exactly
once, and the last row is only ever a target. The examples are batched in order (no shuffling),
`batch` at a time, the smaller last batch kept. The output holds every batch's inputs and targets
concatenated in the order they were read, and the size of every batch.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, T: int, F: int, window: int, batch: int
) -> dict:
    if T - window < 1:
        raise ValueError(f"T={T} must exceed window={window}: no example otherwise")
    # A random walk per feature: consecutive rows are correlated, as in a real series, and no two
    # rows are equal, so a window misaligned by one row cannot pass.
    series = np.cumsum(rng.standard_normal((T, F)), axis=0).astype(np.float32)
    return {"series": series, "window": np.int64(window), "batch": np.int64(batch)}


def reference(inputs: dict) -> dict:
    series = inputs["series"].astype(np.float64)
    window, batch = int(inputs["window"]), int(inputs["batch"])
    n = len(series) - window
    # rows of example i: i .. i + window - 1
    rows = np.arange(n)[:, None] + np.arange(window)[None, :]
    batch_sizes = [batch] * (n // batch) + ([n % batch] if n % batch else [])
    return {
        "inputs": series[rows],  # (n, window, F)
        "targets": series[window:, 0],  # (n,): feature 0 of the row after each window
        "batch_sizes": np.array(batch_sizes, dtype=np.float64),
    }
