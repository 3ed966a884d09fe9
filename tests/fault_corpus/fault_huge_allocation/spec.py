"""y = 2x: the simplest spec, so that only the implementation's fault matters."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    return {"x": rng.standard_normal(n, dtype=np.float32)}


def reference(inputs: dict) -> dict:
    return {"y": 2.0 * inputs["x"].astype(np.float64)}
