"""Five full-batch SGD steps of a linear model under mean squared error, framework-neutral."""

import numpy as np

STEPS, LEARNING_RATE = 5, 0.1


def make_inputs(rng: np.random.Generator, n: int, d: int) -> dict:
    x = rng.standard_normal((n, d), dtype=np.float32)
    y = (x @ rng.standard_normal(d).astype(np.float32) + 0.1 * rng.standard_normal(n, dtype=np.float32)).astype(np.float32)
    return {"x": x, "y": y, "w0": (0.1 * rng.standard_normal((d, 1))).astype(np.float32),
            "b0": np.zeros(1, dtype=np.float32)}


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"].astype(np.float64).reshape(-1, 1)
    w, b = inputs["w0"].astype(np.float64), inputs["b0"].astype(np.float64)
    for _ in range(STEPS):
        residual = x @ w + b - y
        w = w - LEARNING_RATE * 2.0 * x.T @ residual / len(x)
        b = b - LEARNING_RATE * 2.0 * residual.sum(axis=0) / len(x)
    return {"w": w, "b": b}
