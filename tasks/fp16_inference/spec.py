"""Inference of a three-layer ReLU MLP in float16, checked against a float64 forward pass.

Inputs (make_inputs): `x` float32 (n, d_in), standard normal; shared float32 weights `w1`
(d_in, hidden), `b1` (hidden,), `w2` (hidden, hidden), `b2` (hidden,), `w3` (hidden, classes),
`b3` (classes,), dense kernels laid out (fan_in, fan_out), He-normal scale so that activations
stay of order 1 (far from float16's range limits).

setup may convert the weights to float16 once. run() converts x to float16 and computes
logits = relu(relu(x @ w1 + b1) @ w2 + b2) @ w3 + b3 with float16 weights and float16
activations (every layer's output is a float16 tensor), then casts the logits to float32.
Output: the float32 array of logits, shape (n, classes).

check(): the output must be float32 of shape (n, classes) whose every value is exactly a float16
value (it was computed in float16 and then cast), and it must match the float64 forward pass of
the float16-rounded x and weights within RTOL, ATOL (float16 has an 11-bit significand: each
rounding of an activation changes it by up to 2**-11 relative).
"""

import numpy as np

RTOL, ATOL = (
    2e-2,
    2e-2,
)  # the same as task.toml's [tolerance], which check() does not receive


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, classes: int
) -> dict:
    def weights(fan_in, fan_out):
        return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(
            np.float32
        )

    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": weights(d_in, hidden),
        "b1": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w2": weights(hidden, hidden),
        "b2": (0.1 * rng.standard_normal(hidden)).astype(np.float32),
        "w3": weights(hidden, classes),
        "b3": (0.1 * rng.standard_normal(classes)).astype(np.float32),
    }


def expected_logits(inputs: dict) -> np.ndarray:
    """The float64 forward pass of the float16-rounded input and weights."""
    p = {k: v.astype(np.float16).astype(np.float64) for k, v in inputs.items()}
    h1 = np.maximum(p["x"] @ p["w1"] + p["b1"], 0.0)
    h2 = np.maximum(h1 @ p["w2"] + p["b2"], 0.0)
    return h2 @ p["w3"] + p["b3"]


def check(output, inputs: dict) -> list[str]:
    want = expected_logits(inputs)
    got = np.asarray(output)
    if got.shape != want.shape:
        return [f"logits: shape {got.shape}, expected {want.shape}"]
    if got.dtype != np.float32:
        return [
            f"logits: dtype {got.dtype}, expected float32 (float16 logits cast to float32)"
        ]
    if not np.all(np.isfinite(got)):
        return ["logits: non-finite values"]
    failures = []
    if not np.array_equal(got.astype(np.float16).astype(np.float32), got):
        failures.append(
            "logits: values that no float16 can hold: not computed in float16"
        )
    err = np.abs(got.astype(np.float64) - want)
    ratio = float((err / (ATOL + RTOL * np.abs(want))).max())
    if ratio > 1.0:
        failures.append(
            f"logits: max abs error {err.max():.3g} outside rtol={RTOL:g}, atol={ATOL:g} "
            f"(worst ratio {ratio:.3g})"
        )
    return failures
