"""Power iteration with a data-dependent stopping rule and sign fix, in float64."""

import numpy as np

TOLERANCE = 1e-4  # stop once ||A v - lambda v|| <= TOLERANCE * |lambda|
MAX_STEPS = 1000


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    # A symmetric matrix with a known spectrum: dominant eigenvalue 10, the rest in (-8, 8), so the
    # loop needs a few dozen steps (convergence ratio about 0.8 per step).
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    spectrum = np.concatenate([[10.0], rng.uniform(-8.0, 8.0, n - 1)])
    a = (q * spectrum) @ q.T
    v0 = rng.standard_normal(n)
    # Start on the side that converges to the eigenvector with a negative largest entry, so that
    # the sign-fixing branch is taken.
    dominant = q[:, 0]
    if (dominant @ v0) * dominant[np.argmax(np.abs(dominant))] > 0:
        v0 = -v0
    return {"a": ((a + a.T) / 2).astype(np.float32), "v0": v0.astype(np.float32)}


def reference(inputs: dict) -> dict:
    a, v = inputs["a"].astype(np.float64), inputs["v0"].astype(np.float64)
    v = v / np.linalg.norm(v)
    av = a @ v
    eigenvalue = v @ av
    steps = 0
    while (
        np.linalg.norm(av - eigenvalue * v) > TOLERANCE * abs(eigenvalue)
        and steps < MAX_STEPS
    ):
        v = av / np.linalg.norm(av)
        av = a @ v
        eigenvalue = v @ av
        steps += 1
    if v[np.argmax(np.abs(v))] < 0:
        v = -v
    return {"eigenvalue": eigenvalue, "eigenvector": v, "steps": steps}
