"""A sequence model served from an exported artifact at two batch sizes and two sequence lengths.

Per time step Linear -> ReLU, mean over the time steps, Linear. The artifact is exported once and
then serves batches of shape (n, t_long, d_in) and (n // 2, t_short, d_in), so both its batch and
its sequence dimensions must be free.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator,
    n: int,
    t_long: int,
    t_short: int,
    d_in: int,
    hidden: int,
    d_out: int,
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x_long": rng.standard_normal((n, t_long, d_in), dtype=np.float32),
        "x_short": rng.standard_normal((n // 2, t_short, d_in), dtype=np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def _forward(p: dict, x: np.ndarray) -> np.ndarray:
    h = np.maximum(x @ p["w1"] + p["b1"], 0.0)
    return h.mean(axis=1) @ p["w2"] + p["b2"]


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    return {"long": _forward(p, p["x_long"]), "short": _forward(p, p["x_short"])}
