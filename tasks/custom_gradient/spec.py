"""A numerically stable log(1 + exp(x)) with a hand-written derivative, and its vector-Jacobian product."""

import numpy as np

# exp(100) overflows float32
EXTREMES = np.array([-100.0, -30.0, 30.0, 100.0], dtype=np.float32)


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    x = (20.0 * rng.standard_normal(n)).astype(np.float32)
    x[: len(EXTREMES)] = EXTREMES
    return {"x": x, "upstream": rng.standard_normal(n, dtype=np.float32)}


def reference(inputs: dict) -> dict:
    x, upstream = inputs["x"].astype(np.float64), inputs["upstream"].astype(np.float64)
    value = np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))
    sigmoid = np.where(
        x >= 0,
        1.0 / (1.0 + np.exp(-np.abs(x))),
        np.exp(-np.abs(x)) / (1.0 + np.exp(-np.abs(x))),
    )
    # d/dx sum(upstream * log(1 + e^x)) = upstream * e^x / (1 + e^x)
    return {"value": value, "grad": upstream * sigmoid}
