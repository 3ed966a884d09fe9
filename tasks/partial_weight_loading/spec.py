"""Transfer learning: load a pretrained checkpoint into a model with the same backbone and a new head.

The pretrained model is Linear -> ReLU -> Linear -> ReLU -> Linear (a 10-class head). The new model
has the same backbone and a head for another number of classes, so the checkpoint's head does not fit
it: the backbone must take the checkpoint's weights and the new head must keep its own fresh
initialisation ("w_new_head", "b_new_head").
"""

import numpy as np

PRETRAINED_CLASSES = 10
NEW_CLASSES = 3


def make_inputs(rng: np.random.Generator, n: int, d_in: int, hidden: int) -> dict:
    def uniform(shape, fan_in):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        # The pretrained model, (fan_in, fan_out) kernels: what the checkpoint file holds.
        "w1": uniform((d_in, hidden), d_in),
        "b1": uniform(hidden, d_in),
        "w2": uniform((hidden, hidden), hidden),
        "b2": uniform(hidden, hidden),
        "w_pretrained_head": uniform((hidden, PRETRAINED_CLASSES), hidden),
        "b_pretrained_head": uniform(PRETRAINED_CLASSES, hidden),
        # The new model's freshly initialised head, drawn like the default initialisation.
        "w_new_head": uniform((hidden, NEW_CLASSES), hidden),
        "b_new_head": uniform(NEW_CLASSES, hidden),
    }


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    h = np.maximum(p["x"] @ p["w1"] + p["b1"], 0.0)
    h = np.maximum(h @ p["w2"] + p["b2"], 0.0)
    return {
        "outputs": h @ p["w_new_head"] + p["b_new_head"],
        "backbone": [p["w1"], p["b1"], p["w2"], p["b2"]],
        "head": [p["w_new_head"], p["b_new_head"]],
    }
