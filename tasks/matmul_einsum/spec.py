"""Matrix multiply and a batched bilinear form, framework-neutral."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int, k: int, m: int, batch: int) -> dict:
    return {
        "a": rng.standard_normal((n, k), dtype=np.float32),
        "b": rng.standard_normal((k, m), dtype=np.float32),
        "x": rng.standard_normal((batch, k), dtype=np.float32),
        "w": rng.standard_normal((k, m), dtype=np.float32),
        "y": rng.standard_normal((batch, m), dtype=np.float32),
    }


def reference(inputs: dict) -> dict:
    a, b, x, w, y = (
        inputs[key].astype(np.float64) for key in ("a", "b", "x", "w", "y")
    )
    return {"product": a @ b, "bilinear": np.einsum("bi,ij,bj->b", x, w, y)}
