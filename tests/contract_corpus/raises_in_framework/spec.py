import numpy as np


def make_inputs(rng, n):
    return {"x": rng.standard_normal((2, n)).astype(np.float32)}


def reference(inputs):
    return np.zeros((2, 4))
