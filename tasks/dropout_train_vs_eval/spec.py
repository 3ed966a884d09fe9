"""A model with dropout in evaluation mode (exact) and in training mode (checked by properties).

Model: Linear(d_in, hidden) -> ReLU -> Dropout(DROPOUT_RATE) -> Linear(hidden, d_out), shared
float32 weights `w1` (d_in, hidden), `b1` (hidden,), `w2` (hidden, d_out), `b2` (d_out,), kernels
laid out (fan_in, fan_out); input `x` float32 (n, d_in).

run() returns {"eval_output": (n, d_out), the model in evaluation mode (dropout is the identity);
"train_output": (n, d_out), the model in training mode (inverted dropout: each hidden unit of each
sample is zeroed with probability DROPOUT_RATE, independently, and the kept ones are multiplied by
1 / (1 - DROPOUT_RATE)); "train_hidden": (n, hidden), the dropout layer's output in that same
training-mode pass, the tensor that train_output was computed from}, all float32.

check(): eval_output against the float64 forward pass (RTOL, ATOL); every train_hidden element is
0 or relu(x @ w1 + b1) / (1 - DROPOUT_RATE); among the units with relu(.) > 0 the dropped fraction
is within Z standard errors of DROPOUT_RATE; train_output equals train_hidden @ w2 + b2 (the same
pass); and train_output differs from eval_output.
"""

import numpy as np

DROPOUT_RATE = 0.25
RTOL, ATOL = (
    1e-4,
    1e-5,
)  # the same as task.toml's [tolerance], which check() does not receive
Z = 5.0  # a false alarm about once in 1.7 million runs


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def hidden_activations(inputs: dict) -> np.ndarray:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    return np.maximum(p["x"] @ p["w1"] + p["b1"], 0.0)


def _close(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    return np.abs(got - want) <= ATOL + RTOL * np.abs(want)


def check(output, inputs: dict) -> list[str]:
    keys = {"eval_output", "train_output", "train_hidden"}
    if not isinstance(output, dict) or set(output) != keys:
        return [f"expected a dict with keys {sorted(keys)}"]
    w2, b2 = inputs["w2"].astype(np.float64), inputs["b2"].astype(np.float64)
    relu = hidden_activations(inputs)
    want_eval = relu @ w2 + b2
    got = {k: np.asarray(v, dtype=np.float64) for k, v in output.items()}
    shapes = {"eval_output": want_eval.shape, "train_output": want_eval.shape}
    shapes["train_hidden"] = relu.shape
    failures = [
        f"{k}: shape {got[k].shape}, expected {s}"
        for k, s in shapes.items()
        if got[k].shape != s
    ]
    failures += [
        f"{k}: non-finite values" for k in keys if not np.all(np.isfinite(got[k]))
    ]
    if failures:
        return failures
    if not np.all(_close(got["eval_output"], want_eval)):
        err = np.max(np.abs(got["eval_output"] - want_eval))
        failures.append(
            f"eval_output: max abs error {err:.3g} outside rtol={RTOL:g}, atol={ATOL:g}"
        )
    h = got["train_hidden"]
    scaled = relu / (1.0 - DROPOUT_RATE)
    zero, kept = np.abs(h) <= ATOL, _close(h, scaled)
    if not np.all(zero | kept):
        failures.append(
            "train_hidden: values other than 0 and relu(x @ w1 + b1) / (1 - rate): "
            "wrong scaling or not the dropout output"
        )
    else:
        active = relu > 1e-3  # units that dropout can visibly zero
        dropped = np.mean(zero[active])
        sigma = np.sqrt(DROPOUT_RATE * (1 - DROPOUT_RATE) / np.count_nonzero(active))
        if abs(dropped - DROPOUT_RATE) > Z * sigma:
            failures.append(
                f"train_hidden: dropped fraction {dropped:.4f}, "
                f"expected {DROPOUT_RATE} +- {Z * sigma:.4f}"
            )
    if not np.all(_close(got["train_output"], h @ w2 + b2)):
        failures.append(
            "train_output is not train_hidden @ w2 + b2: not the same training-mode pass"
        )
    if np.all(_close(got["train_output"], want_eval)):
        failures.append(
            "train_output equals eval_output: dropout was not applied in training mode"
        )
    return failures
