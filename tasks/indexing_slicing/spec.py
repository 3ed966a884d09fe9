"""Tensor creation, basic/advanced/boolean indexing, strided slices and scatter updates, in NumPy."""

import numpy as np

OUTLIER = 1.5


def make_inputs(rng: np.random.Generator, n: int, m: int, k: int, bins: int) -> dict:
    return {
        "x": rng.standard_normal((n, m), dtype=np.float32),
        # distinct: a scatter target once each
        "rows": rng.choice(n, size=k, replace=False).astype(np.int64),
        "cols": rng.integers(0, m, size=n, dtype=np.int64),
        "updates": rng.standard_normal((k, m), dtype=np.float32),
        # repeats: scatter-add must accumulate
        "bin_ids": rng.integers(0, bins, size=n, dtype=np.int64),
        "bins": np.int64(bins),
    }


def reference(inputs: dict) -> dict:
    x = inputs["x"].astype(np.float64)
    rows, cols, bin_ids = inputs["rows"], inputs["cols"], inputs["bin_ids"]
    n = x.shape[0]
    row_updated = x.copy()
    row_updated[rows] = inputs["updates"].astype(np.float64)
    histogram = np.zeros(int(inputs["bins"]))
    # unbuffered: repeated bins accumulate (histogram[ids] += would not)
    np.add.at(histogram, bin_ids, x[:, 0])
    return {
        "positions": np.arange(n),
        "column": x[:, 2],
        "strided": x[1::2, ::3],
        "tail_reversed": x[-3:, ::-1],
        "rows": x[rows],
        "picked": x[np.arange(n), cols],
        "positives": x[x > 0],
        "outliers_zeroed": np.where(np.abs(x) > OUTLIER, 0.0, x),
        "row_updated": row_updated,
        "histogram": histogram,
    }
