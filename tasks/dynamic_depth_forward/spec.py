"""A residual block applied until the activations are small enough, then a linear head, in float64.

h <- h + tanh(h W + b) while mean_i ||h_i|| > threshold (at most MAX_DEPTH times); logits = h W_h + b_h.
The block's weights are contractive (W = -0.3 I + a small symmetric part), so the mean row norm falls
by 10 to 20% per application, and make_inputs puts the threshold halfway (geometrically) between the
norms after TARGET_DEPTH - 1 and TARGET_DEPTH applications: the stopping step is decided with a margin
of about 5%, far beyond float32 rounding.
"""

import numpy as np

MAX_DEPTH = 100
TARGET_DEPTH = 10


def mean_norms(x: np.ndarray, w: np.ndarray, b: np.ndarray, steps: int) -> np.ndarray:
    h, norms = x, [np.linalg.norm(x, axis=1).mean()]
    for _ in range(steps):
        h = h + np.tanh(h @ w + b)
        norms.append(np.linalg.norm(h, axis=1).mean())
    return np.array(norms)


def make_inputs(rng: np.random.Generator, n: int, width: int, classes: int) -> dict:
    g = rng.standard_normal((width, width))
    w = -0.3 * np.eye(width) + 0.1 * (g + g.T) / np.sqrt(2 * width)
    inputs = {
        "x": rng.standard_normal((n, width), dtype=np.float32),
        "w_block": w.astype(np.float32),
        "b_block": (0.01 * rng.standard_normal(width)).astype(np.float32),
        "w_head": (rng.standard_normal((width, classes)) / np.sqrt(width)).astype(
            np.float32
        ),
        "b_head": (0.1 * rng.standard_normal(classes)).astype(np.float32),
    }
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    norms = mean_norms(p["x"], p["w_block"], p["b_block"], TARGET_DEPTH)
    if not np.all(np.diff(norms) < 0):
        raise ValueError(
            f"the block does not shrink the activations monotonically: {norms}"
        )
    inputs["threshold"] = np.float32(
        np.sqrt(norms[TARGET_DEPTH - 1] * norms[TARGET_DEPTH])
    )
    return inputs


def reference(inputs: dict) -> dict:
    p = {k: np.asarray(v, dtype=np.float64) for k, v in inputs.items()}
    h, depth = p["x"], 0
    while np.linalg.norm(h, axis=1).mean() > p["threshold"] and depth < MAX_DEPTH:
        h = h + np.tanh(h @ p["w_block"] + p["b_block"])
        depth += 1
    return {"logits": h @ p["w_head"] + p["b_head"], "depth": depth}
