"""Training vs evaluation mode of a model with BatchNorm and Dropout, checked by properties.

Model: Linear -> BatchNorm -> ReLU -> Dropout -> Linear. Dropout draws from each framework's own RNG,
so no single exact reference exists for the training-mode output; and the two frameworks document
different running-variance updates (PyTorch: unbiased batch variance; Keras: biased). `check`
therefore compares what is deterministic with float64 values computed here, accepts either documented
running-variance convention, and checks the rest by properties.
"""

import numpy as np

# BatchNorm update weight of the new batch statistics (PyTorch momentum=0.1 == Keras momentum=0.9).
BATCH_STAT_WEIGHT = 0.1
BN_EPSILON = 1e-5
DROPOUT_RATE = 0.5
# the same as task.toml's [tolerance], which check() does not receive
RTOL, ATOL = 1e-4, 1e-6


def make_inputs(
    rng: np.random.Generator, batch: int, d_in: int, hidden: int, d_out: int
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": (rng.standard_normal((batch, d_in)) * 2.0 + 0.5).astype(np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        # A model part-way through training: non-default affine parameters and running statistics.
        "gamma": rng.uniform(0.5, 1.5, hidden).astype(np.float32),
        "beta": rng.uniform(-0.5, 0.5, hidden).astype(np.float32),
        "running_mean": rng.uniform(-0.5, 0.5, hidden).astype(np.float32),
        "running_var": rng.uniform(0.5, 2.0, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def expected_values(inputs: dict) -> dict:
    """Every deterministic quantity, in float64."""
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    h = p["x"] @ p["w1"] + p["b1"]

    # BatchNorm with the given statistics, ReLU, no dropout, Linear
    def head(mean, var):
        normalized = (h - mean) / np.sqrt(var + BN_EPSILON) * p["gamma"] + p["beta"]
        return np.maximum(normalized, 0.0) @ p["w2"] + p["b2"]

    batch_mean, biased_var, unbiased_var = (
        h.mean(axis=0),
        h.var(axis=0),
        h.var(axis=0, ddof=1),
    )
    keep = 1.0 - BATCH_STAT_WEIGHT
    return {
        "eval_output": head(p["running_mean"], p["running_var"]),
        # batch statistics normalize with the biased variance
        "train_output_without_dropout": head(batch_mean, biased_var),
        "running_mean": keep * p["running_mean"] + BATCH_STAT_WEIGHT * batch_mean,
        # PyTorch's documented update
        "running_var_unbiased": keep * p["running_var"]
        + BATCH_STAT_WEIGHT * unbiased_var,
        # Keras' documented update
        "running_var_biased": keep * p["running_var"] + BATCH_STAT_WEIGHT * biased_var,
    }


def _mismatch(name: str, got: np.ndarray, want: np.ndarray) -> str | None:
    got = np.asarray(got, dtype=np.float64)
    if got.shape != want.shape:
        return f"{name}: shape {got.shape}, expected {want.shape}"
    if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return f"{name}: max abs error {np.max(np.abs(got - want)):.3g} outside rtol={RTOL:g}, atol={ATOL:g}"
    return None


def check(output: dict, inputs: dict) -> list[str]:
    want = expected_values(inputs)
    failures = [
        m
        for m in (
            _mismatch("eval_output", output["eval_output"], want["eval_output"]),
            _mismatch("running_mean", output["running_mean"], want["running_mean"]),
        )
        if m
    ]
    unbiased = _mismatch(
        "running_var", output["running_var"], want["running_var_unbiased"]
    )
    biased = _mismatch("running_var", output["running_var"], want["running_var_biased"])
    if unbiased and biased:
        failures.append(
            f"running_var matches neither documented update (unbiased: {unbiased}; biased: {biased})"
        )

    train = np.asarray(output["train_output"], dtype=np.float64)
    if train.shape != want["eval_output"].shape or not np.all(np.isfinite(train)):
        failures.append(f"train_output: shape {train.shape} or non-finite values")
    else:
        if np.allclose(train, want["eval_output"], rtol=RTOL, atol=ATOL):
            failures.append(
                "train_output equals eval_output: training mode changed nothing"
            )
        if np.allclose(
            train, want["train_output_without_dropout"], rtol=RTOL, atol=ATOL
        ):
            failures.append(
                "train_output equals the no-dropout training-mode output: dropout was not applied"
            )

    # Inverted dropout on ones: every element is 0 (dropped) or 1/(1-rate) (kept and rescaled).
    dropped = np.asarray(output["dropout_train"], dtype=np.float64)
    kept_value = 1.0 / (1.0 - DROPOUT_RATE)
    is_zero, is_kept = (
        np.isclose(dropped, 0.0),
        np.isclose(dropped, kept_value, rtol=RTOL),
    )
    if not np.all(is_zero | is_kept):
        failures.append(f"dropout_train: values other than 0 and {kept_value:g}")
    else:
        rate, n = is_zero.mean(), is_zero.size
        sigma = np.sqrt(DROPOUT_RATE * (1 - DROPOUT_RATE) / n)
        # a false alarm about once in 1.7 million runs
        if abs(rate - DROPOUT_RATE) > 5 * sigma:
            failures.append(
                f"dropout_train: dropped fraction {rate:.3f}, expected {DROPOUT_RATE} +- {5 * sigma:.3f}"
            )
    if not np.array_equal(np.asarray(output["dropout_eval"]), np.ones_like(dropped)):
        failures.append("dropout_eval: evaluation-mode dropout is not the identity")
    return failures
