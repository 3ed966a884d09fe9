"""Arithmetic on int32, float32 and float64 inputs with every result in a specified dtype.

Inputs (make_inputs): `counts` int32 (n,) in [-2_000_000, 20_000_000); `x` float32 (n,), standard
normal; `y` float64 (n,) in [0.5, 1.5).

run() returns a dict of six results, each in the dtype named here (the casts are the task):
  "weighted"       float32 (n,): counts cast to float32, times x, in float32.
  "shifted"        float64 (n,): x cast to float64, plus y, in float64.
  "ratio"          float32 (n,): counts / 3, true (not integer) division, result float32.
  "halved"         int32 (n,):   counts floor-divided by 2 in int32 (rounding towards minus
                                 infinity: -7 gives -4).
  "count_total"    int64 ():     the sum of all counts accumulated in int64 (it exceeds the int32
                                 range at every size, so an int32 sum overflows).
  "weighted_total" float64 ():   the sum over i of float64(counts[i]) * y[i], in float64.

check(): every key present, with exactly that dtype and shape; integer results exact; float32
results within F32_RTOL of the float32 NumPy results (one rounding each); float64 results within
F64_RTOL of the float64 results (a float32 step anywhere gives errors near 1e-7, far outside).
"""

import numpy as np

F32_RTOL = 1e-6
F64_RTOL = 1e-12


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    return {
        "counts": rng.integers(-2_000_000, 20_000_000, n, dtype=np.int32),
        "x": rng.standard_normal(n, dtype=np.float32),
        "y": rng.uniform(0.5, 1.5, n),  # float64
    }


def expected(inputs: dict) -> dict:
    counts, x, y = inputs["counts"], inputs["x"], inputs["y"]
    return {
        "weighted": counts.astype(np.float32) * x,
        "shifted": x.astype(np.float64) + y,
        "ratio": (counts.astype(np.float64) / 3.0).astype(np.float32),
        "halved": counts // np.int32(2),
        "count_total": counts.astype(np.int64).sum(),
        "weighted_total": np.sum(counts.astype(np.float64) * y),
    }


def check(output, inputs: dict) -> list[str]:
    want = expected(inputs)
    if not isinstance(output, dict) or set(output) != set(want):
        return [f"expected a dict with keys {sorted(want)}"]
    failures = []
    for name, w in want.items():
        got = np.asarray(output[name])
        w = np.asarray(w)
        if got.dtype != w.dtype or got.shape != w.shape:
            failures.append(
                f"{name}: {got.dtype}{list(got.shape)}, expected {w.dtype}{list(w.shape)}"
            )
        elif w.dtype.kind in "iu":
            if not np.array_equal(got, w):
                failures.append(f"{name}: integer values differ from the expected ones")
        else:
            rtol = F32_RTOL if w.dtype == np.float32 else F64_RTOL
            err = np.abs(got.astype(np.float64) - w.astype(np.float64))
            allowed = rtol * np.abs(w.astype(np.float64))
            if not np.all(np.isfinite(got)) or np.any(err > allowed):
                failures.append(
                    f"{name}: max relative error {np.max(err / np.abs(w)):.3g} > {rtol:g}"
                )
    return failures
