"""Jacobian of tanh(W x + b) and Hessian of a regularised softplus loss, both derived by hand."""

import numpy as np

L2 = 0.01


def make_inputs(rng: np.random.Generator, d_in: int, d_out: int, n: int) -> dict:
    scale = np.float32(1 / np.sqrt(d_in))
    return {
        "w": rng.standard_normal((d_out, d_in), dtype=np.float32) * scale,
        "b": rng.standard_normal(d_out, dtype=np.float32),
        "x": rng.standard_normal(d_in, dtype=np.float32),
        "a": rng.standard_normal((n, d_in), dtype=np.float32) * scale,
        "v": rng.standard_normal(d_in, dtype=np.float32),
    }


def reference(inputs: dict) -> dict:
    w, b, x, a, v = (inputs[k].astype(np.float64) for k in ("w", "b", "x", "a", "v"))
    # d tanh(u)_i / dx_j = (1 - tanh(u_i)^2) W_ij with u = W x + b
    y = np.tanh(w @ x + b)
    jacobian = (1.0 - y**2)[:, None] * w
    # loss(v) = mean_k softplus(a_k . v) + L2/2 |v|^2; softplus'' = sigmoid (1 - sigmoid)
    s = 1.0 / (1.0 + np.exp(-(a @ v)))
    hessian = (a.T * (s * (1.0 - s))) @ a / len(a) + L2 * np.eye(len(v))
    return {"jacobian": jacobian, "hessian": hessian}
