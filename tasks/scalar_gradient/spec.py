"""Value and gradient of a regularised tanh loss, with the gradient derived by hand."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int, d: int, l2: float) -> dict:
    return {
        "x": rng.standard_normal((n, d), dtype=np.float32) / np.float32(np.sqrt(d)),
        "w": rng.standard_normal(d, dtype=np.float32),
        "l2": np.float32(l2),
    }


def reference(inputs: dict) -> dict:
    x, w, l2 = (
        inputs["x"].astype(np.float64),
        inputs["w"].astype(np.float64),
        float(inputs["l2"]),
    )
    t = np.tanh(x @ w)
    value = np.mean(t**2) + 0.5 * l2 * np.sum(w**2)
    grad = (2.0 / len(x)) * x.T @ (t * (1.0 - t**2)) + l2 * w
    return {"value": value, "grad": grad}
