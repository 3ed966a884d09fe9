"""Seeded normal, uniform and permutation draws, checked by properties.

The frameworks use different generators (PyTorch: Philox on CUDA, Mersenne Twister on CPU;
TensorFlow: Philox or ThreeFry), so no exact reference exists. `check` tests what every correct
seeded generator must satisfy: shapes and dtypes, ranges, a permutation of 0..n-1, sample moments
within 5 standard errors of the true ones (central limit theorem; each two-sided test has a false
alarm probability of about 5.7e-7, so the 8 statistical tests together below 5e-6), and
reproducibility: the same seed, used twice inside one run, gives bit-identical draws.
"""

import numpy as np

Z = 5.0  # standard errors allowed for every moment test
P_WITHIN_ONE_SIGMA = 0.6826894921370859  # P(|N(0,1)| < 1) = erf(1/sqrt(2))
# fixed points of a uniform permutation ~ Poisson(1): P(>= 13) < 1e-10
MAX_FIXED_POINTS = 12
DRAWS = ("normal", "uniform", "permutation")


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    return {"n": np.int64(n)}


def _within(name: str, value: float, expected: float, std_error: float) -> list[str]:
    if abs(value - expected) <= Z * std_error:
        return []
    return [f"{name} = {value:.6g}, expected {expected:.6g} +- {Z:g} * {std_error:.3g}"]


def _normal_failures(x: np.ndarray, n: int) -> list[str]:
    x = x.astype(np.float64)
    return (
        _within("normal mean", x.mean(), 0.0, np.sqrt(1.0 / n))
        # Var(s^2) = 2 sigma^4 / n
        + _within("normal variance", x.var(ddof=1), 1.0, np.sqrt(2.0 / n))
        + _within(
            "normal P(|x| < 1)",
            np.mean(np.abs(x) < 1.0),
            P_WITHIN_ONE_SIGMA,
            np.sqrt(P_WITHIN_ONE_SIGMA * (1 - P_WITHIN_ONE_SIGMA) / n),
        )
    )


def _uniform_failures(u: np.ndarray, n: int) -> list[str]:
    failures = (
        []
        if u.min() >= 0.0 and u.max() < 1.0
        else [f"uniform outside [0, 1): [{u.min()}, {u.max()}]"]
    )
    u = u.astype(np.float64)
    return failures + (
        _within("uniform mean", u.mean(), 0.5, np.sqrt(1.0 / 12.0 / n))
        # (mu4 - sigma^4) / n
        + _within(
            "uniform variance", u.var(ddof=1), 1.0 / 12.0, np.sqrt(1.0 / 180.0 / n)
        )
        + _within(
            "uniform P(u < 0.25)", np.mean(u < 0.25), 0.25, np.sqrt(0.25 * 0.75 / n)
        )
    )


def _permutation_failures(p: np.ndarray, n: int) -> list[str]:
    if not np.issubdtype(p.dtype, np.integer):
        return [f"permutation dtype {p.dtype}, expected an integer type"]
    if not np.array_equal(np.sort(p), np.arange(n)):
        return ["permutation is not a permutation of 0..n-1"]
    fixed = int(np.sum(p == np.arange(n)))
    return (
        []
        if fixed <= MAX_FIXED_POINTS
        else [f"permutation has {fixed} fixed points (expected about 1)"]
    )


def _draw_failures(draws: object, n: int, label: str) -> list[str]:
    if not isinstance(draws, dict) or set(draws) != set(DRAWS):
        return [f"{label}: expected a dict with keys {DRAWS}"]
    failures = []
    for name in DRAWS:
        if draws[name].shape != (n,):
            failures.append(
                f"{label}.{name}: shape {draws[name].shape}, expected ({n},)"
            )
    for name in ("normal", "uniform"):
        if draws[name].dtype != np.float32:
            failures.append(
                f"{label}.{name}: dtype {draws[name].dtype}, expected float32"
            )
        if not np.all(np.isfinite(draws[name])):
            failures.append(f"{label}.{name}: non-finite values")
    if failures:
        return failures
    failures = _normal_failures(draws["normal"], n) + _uniform_failures(
        draws["uniform"], n
    )
    failures += _permutation_failures(draws["permutation"], n)
    return [f"{label}: {f}" for f in failures]


def check(output: dict, inputs: dict) -> list[str]:
    n = int(inputs["n"])
    if not isinstance(output, dict) or set(output) != {"first", "second"}:
        return [
            "expected a dict with keys 'first' and 'second' (two draws from the same seed)"
        ]
    output = {
        k: {name: np.asarray(v) for name, v in d.items()} if isinstance(d, dict) else d
        for k, d in output.items()
    }
    failures = _draw_failures(output["first"], n, "first")
    if failures:
        return failures
    if not isinstance(output["second"], dict) or set(output["second"]) != set(DRAWS):
        return [f"second: expected a dict with keys {DRAWS}"]
    return [
        f"not reproducible: {name} differs between two draws from the same seed"
        for name in DRAWS
        if not np.array_equal(output["first"][name], output["second"][name])
    ]
