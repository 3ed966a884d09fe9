"""Numerical check of a hand-written gradient, in float64.

The function is a custom log-sum-exp of a matrix product, y = logsumexp(x @ w, axis=1), x of shape
(batch, n), w of shape (n, m), y of shape (batch,). Its forward pass is the stable one (subtract the
row maximum before exp) and its backward pass is written by hand: with p = exp(x @ w - y[:, None])
(the row softmax) and upstream gradient g, dx = (g[:, None] * p) @ w.T and dw = x.T @ (g[:, None] * p).

The output is what each framework's gradient check gives a user on both sides: the verdict (the
analytical Jacobians, one backward pass per output element through the hand-written backward,
against central differences with step STEP, one pair of forward passes per input element) and the
analytical Jacobians. Jacobians are 2-D, (y_size, x_size) with the input flattened row-major, one per
input, in the order [x, w]. Finite differences need float64: in float32 the rounding error of
f(x + step) - f(x - step) divided by 2 * step swamps the derivative.
"""

import numpy as np

# both sides pass it to their tool: tf.test.compute_gradient's default, not gradcheck's 1e-6
STEP = 1.0 / 1024
# of the first row: exp overflows float64 above 709, so only a stable forward works
LARGEST_LOGIT = 1000.0


def make_inputs(rng: np.random.Generator, batch: int, n: int, m: int) -> dict:
    x = rng.standard_normal((batch, n))
    w = rng.standard_normal((n, m)) / np.sqrt(n)
    x[0] *= LARGEST_LOGIT / (x[0] @ w).max()
    return {"x": x, "w": w}


def forward(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    logits = x @ w
    row_max = logits.max(axis=1, keepdims=True)
    return row_max[:, 0] + np.log(np.exp(logits - row_max).sum(axis=1))


def exact_jacobians(x: np.ndarray, w: np.ndarray) -> list:
    """d y_b / d x_(c, i) = [b == c] (p_b @ w.T)_i and d y_b / d w_(i, j) = x_(b, i) p_(b, j)."""
    p = np.exp(x @ w - forward(x, w)[:, None])
    batch, n = x.shape
    jx = np.zeros((batch, batch, n))
    jx[np.arange(batch), np.arange(batch)] = p @ w.T
    jw = x[:, :, None] * p[:, None, :]
    return [jx.reshape(batch, -1), jw.reshape(batch, -1)]


def central_differences(x: np.ndarray, w: np.ndarray, step: float) -> list:
    """(f(a + step e_k) - f(a - step e_k)) / (2 step), column k for element k of each input a."""
    inputs = [x.copy(), w.copy()]
    jacobians = []
    for a in inputs:
        flat = a.reshape(-1)  # a view: perturbing it perturbs the input
        columns = []
        for k in range(flat.size):
            original = flat[k]
            flat[k] = original + step
            y_plus = forward(*inputs)
            flat[k] = original - step
            y_minus = forward(*inputs)
            flat[k] = original
            columns.append((y_plus - y_minus) / (2 * step))
        jacobians.append(np.stack(columns, axis=1))
    return jacobians


def reference(inputs: dict) -> dict:
    x, w = inputs["x"], inputs["w"]
    analytical = exact_jacobians(x, w)
    numerical = central_differences(x, w, STEP)
    # gradcheck's default criterion, which both sides apply: a correct backward passes.
    passed = all(
        np.allclose(a, b, rtol=1e-3, atol=1e-5) for a, b in zip(analytical, numerical)
    )
    return {"analytical": analytical, "passed": float(passed)}
