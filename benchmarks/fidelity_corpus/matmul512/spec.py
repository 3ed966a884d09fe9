"""a @ b for two n x n float32 matrices."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    return {"a": rng.standard_normal((n, n), dtype=np.float32), "b": rng.standard_normal((n, n), dtype=np.float32)}


def reference(inputs: dict) -> np.ndarray:
    return inputs["a"].astype(np.float64) @ inputs["b"].astype(np.float64)
