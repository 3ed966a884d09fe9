"""y = x @ w and d mean(y ** 2) / dw, framework-neutral."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int, d: int) -> dict:
    return {"x": rng.standard_normal((n, d), dtype=np.float32), "w": rng.standard_normal((d, 1), dtype=np.float32)}


def reference(inputs: dict) -> dict:
    x, w = inputs["x"].astype(np.float64), inputs["w"].astype(np.float64)
    y = x @ w
    return {"y": y, "grad": 2.0 * x.T @ y / y.size}
