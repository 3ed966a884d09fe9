"""Boolean-mask selection, an elementwise select of two tensors, a cumulative sum along rows.

Inputs (make_inputs): `x` float32 (rows, cols) uniform in [0, 1); `y` float32 (rows, cols) uniform
in [0, 0.5); `threshold` a float32 scalar (shape ()).

run() computes mask = x > threshold (float32 comparison) and returns {"selected": float32
(count,), the elements of x where mask is true, in row-major (C) order, count = number of true
elements; "where": float32 (rows, cols), x where mask is true, else y; "cumsum": float32
(rows, cols), the cumulative sum of "where" along axis 1 (cumsum[r, j] = sum of where[r, :j+1])}.
"""

import numpy as np


def make_inputs(rng: np.random.Generator, rows: int, cols: int) -> dict:
    return {
        "x": rng.random((rows, cols), dtype=np.float32),
        "y": (0.5 * rng.random((rows, cols), dtype=np.float32)).astype(np.float32),
        "threshold": np.float32(0.6),
    }


def reference(inputs: dict) -> dict:
    x, y = inputs["x"], inputs["y"]
    mask = (
        x > inputs["threshold"]
    )  # the comparison itself in float32, as the implementations do
    where = np.where(mask, x, y).astype(np.float64)
    return {
        "selected": x[mask].astype(np.float64),
        "where": where,
        "cumsum": np.cumsum(where, axis=1),
    }
