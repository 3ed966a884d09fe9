"""Find the first layer of a model whose output is not finite, in float64.

The model has five layers, in this order and in both frameworks: Linear/Dense, ReLU, Linear/Dense,
an elementwise log (the planted bug: its input, a linear layer's output, is often negative), and a
final Linear/Dense. The answer is that layer's index and the activation it received, the last one
that was finite.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    def weights(fan_in, fan_out):
        return (rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)).astype(
            np.float32
        )

    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": weights(d_in, hidden),
        "b1": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w2": weights(hidden, hidden),
        "b2": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w3": weights(hidden, d_out),
        "b3": (0.1 * rng.standard_normal(d_out)).astype(np.float32),
    }


def layers(inputs: dict) -> list:
    w1, b1, w2, b2, w3, b3 = (
        inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2", "w3", "b3")
    )
    return [
        lambda h: h @ w1 + b1,
        lambda h: np.maximum(h, 0.0),
        lambda h: h @ w2 + b2,
        np.log,
        lambda h: h @ w3 + b3,
    ]


def reference(inputs: dict) -> dict:
    h = inputs["x"].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        for index, layer in enumerate(layers(inputs)):
            out = layer(h)
            if not np.all(np.isfinite(out)):
                return {"first_nonfinite_layer": index, "last_finite_activation": h}
            h = out
    raise ValueError("no layer produced a non-finite value: the planted bug is missing")
