"""a @ b in bfloat16 for two n x n matrices whose entries are exact in bfloat16."""

import numpy as np

ROWS_CHECKED = 8
BF16_RELATIVE = 2.0**-8   # rounding the float32 result to bfloat16 (8 significant bits)


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    # Multiples of 1/4 in [-1, 1]: exact in bfloat16, products exact, float32 sums exact below 2^22.
    return {"a": (rng.integers(-4, 5, (n, n)) / 4).astype(np.float32),
            "b": (rng.integers(-4, 5, (n, n)) / 4).astype(np.float32)}


def check(output, inputs) -> list[str]:
    a, b = inputs["a"], inputs["b"]
    output = np.asarray(output, dtype=np.float64)
    if output.shape != (a.shape[0], b.shape[1]):
        return [f"shape {output.shape}, expected {(a.shape[0], b.shape[1])}"]
    rows = np.linspace(0, a.shape[0] - 1, ROWS_CHECKED).astype(int)
    expected = a[rows].astype(np.float64) @ b.astype(np.float64)
    error = np.abs(output[rows] - expected)
    allowed = BF16_RELATIVE * np.abs(expected) + 1e-12
    bad = int(np.sum(error > allowed))
    return [f"{bad} of {error.size} checked entries off by more than bfloat16 rounding"] if bad else []
