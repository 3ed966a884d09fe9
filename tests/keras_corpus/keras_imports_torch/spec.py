import numpy as np


def make_inputs(rng, n, d_in, hidden):
    return {
        "x": rng.standard_normal((n, d_in)).astype(np.float32),
        "w1": rng.standard_normal((d_in, hidden)).astype(np.float32),
        "b1": rng.standard_normal(hidden).astype(np.float32),
        "w2": rng.standard_normal((hidden, 1)).astype(np.float32),
        "b2": rng.standard_normal(1).astype(np.float32),
    }


def reference(inputs):
    x = inputs["x"].astype(np.float64)
    h = np.maximum(x @ inputs["w1"] + inputs["b1"], 0.0)
    return h @ inputs["w2"] + inputs["b2"]
