"""Softmax of a matrix product, and the shape of the product seen inside the compiled function."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int, d: int, k: int) -> dict:
    return {
        "x": rng.standard_normal((n, d), dtype=np.float32),
        "w": (rng.standard_normal((d, k)) / np.sqrt(d)).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    scores = inputs["x"].astype(np.float64) @ inputs["w"].astype(np.float64)
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return {
        "probabilities": exp / exp.sum(axis=1, keepdims=True),
        "observed_shape": np.array(scores.shape),
    }
