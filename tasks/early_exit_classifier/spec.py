"""Confidence-based early exit, one sample at a time, in float64.

Three stages (Linear + ReLU), each followed by an exit head (Linear). For each sample, after each stage
the head's softmax is computed; the first head whose largest probability reaches THRESHOLD gives the
answer and the remaining stages are skipped; the last head answers otherwise. Returns every sample's
logits from the exit it took and the exit's index.
"""

import numpy as np

THRESHOLD = 0.9
STAGES = 3
# no decision closer than this to the threshold: float32 rounding cannot flip one
MARGIN = 1e-3
# logits grow with depth, so exits are spread over all three heads
HEAD_SCALES = (4.0, 5.0, 6.0)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def all_exits(p: dict, x: np.ndarray) -> list:
    """Logits of every head for every sample (what running all stages would give)."""
    h, logits = x, []
    for k in range(STAGES):
        h = np.maximum(h @ p[f"w_stage{k}"] + p[f"b_stage{k}"], 0.0)
        logits.append(h @ p[f"w_exit{k}"] + p[f"b_exit{k}"])
    return logits


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, width: int, classes: int
) -> dict:
    inputs = {}
    for k in range(STAGES):
        fan_in = d_in if k == 0 else width
        inputs[f"w_stage{k}"] = (
            rng.standard_normal((fan_in, width)) * np.sqrt(2.0 / fan_in)
        ).astype(np.float32)
        inputs[f"b_stage{k}"] = (0.1 * rng.standard_normal(width)).astype(np.float32)
        inputs[f"w_exit{k}"] = (
            rng.standard_normal((width, classes)) * HEAD_SCALES[k] / np.sqrt(width)
        ).astype(np.float32)
        inputs[f"b_exit{k}"] = (0.1 * rng.standard_normal(classes)).astype(np.float32)
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    x = rng.standard_normal((n, d_in), dtype=np.float32)
    # Redraw the samples whose confidence at an early exit sits too close to the threshold.
    while True:
        confidences = np.stack(
            [softmax(z).max(axis=1) for z in all_exits(p, x.astype(np.float64))[:-1]]
        )
        close = np.any(np.abs(confidences - THRESHOLD) < MARGIN, axis=0)
        if not close.any():
            break
        x[close] = rng.standard_normal((int(close.sum()), d_in), dtype=np.float32)
    inputs["x"] = x
    return inputs


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    heads = all_exits(p, p["x"])
    exits = np.full(len(p["x"]), STAGES - 1)
    for k in reversed(range(STAGES - 1)):
        confident = softmax(heads[k]).max(axis=1) >= THRESHOLD
        exits[confident] = k
    logits = np.stack([heads[e][i] for i, e in enumerate(exits)])
    return {"logits": logits, "exits": exits}
