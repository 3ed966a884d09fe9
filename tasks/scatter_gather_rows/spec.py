"""Gather rows by index, and scatter-add update rows into zeros with repeated indices.

Inputs (make_inputs): `table` float32 (rows, dim); `indices` int64 (m,) in 0..rows-1, with many
repeats (m > rows) and some rows never indexed; `updates` float32 (m, dim).

run() returns {"gathered": float32 (m, dim), gathered[i] = table[indices[i]]; "scattered":
float32 (rows, dim), a new zero tensor into which every updates[i] is added at row indices[i]
(repeated indices accumulate: scattered[r] = sum of updates[i] over all i with indices[i] == r;
rows never indexed stay 0)}. The table is not modified.
"""

import numpy as np


def make_inputs(rng: np.random.Generator, rows: int, dim: int, m: int) -> dict:
    return {
        "table": rng.standard_normal((rows, dim), dtype=np.float32),
        "indices": rng.integers(0, rows, m, dtype=np.int64),
        "updates": rng.standard_normal((m, dim), dtype=np.float32),
    }


def reference(inputs: dict) -> dict:
    table, indices = inputs["table"].astype(np.float64), inputs["indices"]
    scattered = np.zeros_like(table)
    np.add.at(scattered, indices, inputs["updates"].astype(np.float64))
    return {"gathered": table[indices], "scattered": scattered}
