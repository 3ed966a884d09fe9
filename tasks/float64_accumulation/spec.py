"""Long reductions of float32 data accumulated in float64, beside the plain float32 sum.

Inputs (make_inputs): `x` float32 (rows, cols), values 3 + standard normal (all of one sign in
practice, so the sums are well conditioned and every error comes from the accumulation).

run() returns {"row_sums": float64 (rows,), each row of x summed with float64 accumulation;
"total": float64 (), the sum of all elements with float64 accumulation; "total_float32": float32
(), the plain float32 sum of all elements, accumulated in float32}. Accumulating in float64 means
the float32 values are converted to float64 before they are added (an exact conversion), not that
a float32 sum is converted afterwards.

check(): keys, dtypes and shapes exactly as above; row_sums and total within F64_RTOL of the exact
(float64) sums, which a float32 accumulation misses by orders of magnitude (its result alone is a
float32, 6e-8 relative apart); total_float32 within F32_RTOL of the exact total (any reasonable
float32 summation order: pairwise, blocked or vectorised).
"""

import numpy as np

F64_RTOL = 1e-10
F32_RTOL = 1e-3
OUTPUTS = {"row_sums": np.float64, "total": np.float64, "total_float32": np.float32}


def make_inputs(rng: np.random.Generator, rows: int, cols: int) -> dict:
    return {
        "x": (3.0 + rng.standard_normal((rows, cols), dtype=np.float32)).astype(
            np.float32
        )
    }


def expected(inputs: dict) -> dict:
    x = inputs["x"].astype(np.float64)
    row_sums = x.sum(axis=1)
    return {
        "row_sums": row_sums,
        "total": row_sums.sum(),
        "total_float32": row_sums.sum(),
    }


def check(output, inputs: dict) -> list[str]:
    want = expected(inputs)
    if not isinstance(output, dict) or set(output) != set(OUTPUTS):
        return [f"expected a dict with keys {sorted(OUTPUTS)}"]
    failures = []
    for name, dtype in OUTPUTS.items():
        got = np.asarray(output[name])
        if got.dtype != dtype or got.shape != want[name].shape:
            failures.append(
                f"{name}: {got.dtype}{list(got.shape)}, "
                f"expected {np.dtype(dtype)}{list(want[name].shape)}"
            )
            continue
        rtol = F64_RTOL if dtype == np.float64 else F32_RTOL
        rel = np.max(np.abs(got.astype(np.float64) - want[name]) / np.abs(want[name]))
        if not np.isfinite(rel) or rel > rtol:
            failures.append(f"{name}: relative error {rel:.3g} > {rtol:g}")
    return failures
