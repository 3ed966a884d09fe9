"""Per-layer gradient norms of a deep tanh MLP with MSE loss, backpropagation written out in float64.

For each linear layer l (z_l = h_{l-1} W_l + b_l, then tanh except after the last one): the Frobenius
norm of dLoss/dW_l and the norm of dLoss/dz_l, the gradient arriving at the layer's output. With small
weights the norms shrink towards the input: the vanishing gradients this inspection is for.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int, depth: int
) -> dict:
    sizes = [d_in] + [hidden] * (depth - 1) + [d_out]
    inputs = {
        "x": rng.standard_normal((n, d_in), dtype=np.float32),
        "y": rng.standard_normal((n, d_out), dtype=np.float32),
    }
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        inputs[f"w{l}"] = (
            0.7 * rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
        ).astype(np.float32)
        inputs[f"b{l}"] = (0.1 * rng.standard_normal(fan_out)).astype(np.float32)
    return inputs


def reference(inputs: dict) -> dict:
    depth = sum(1 for k in inputs if k.startswith("w"))
    ws = [inputs[f"w{l}"].astype(np.float64) for l in range(depth)]
    bs = [inputs[f"b{l}"].astype(np.float64) for l in range(depth)]
    h = inputs["x"].astype(np.float64)
    layer_inputs, hs = [], []
    for l in range(depth):
        layer_inputs.append(h)
        z = h @ ws[l] + bs[l]
        h = np.tanh(z) if l < depth - 1 else z
        hs.append(h)
    err = h - inputs["y"].astype(np.float64)
    loss = np.mean(err**2)
    d_z = 2.0 * err / err.size
    weight_norms, output_norms = [0.0] * depth, [0.0] * depth
    for l in reversed(range(depth)):
        output_norms[l] = np.linalg.norm(d_z)
        weight_norms[l] = np.linalg.norm(layer_inputs[l].T @ d_z)
        if l > 0:
            d_z = (d_z @ ws[l].T) * (1.0 - hs[l - 1] ** 2)
    return {
        "loss": loss,
        "weight_grad_norms": np.array(weight_norms),
        "output_grad_norms": np.array(output_norms),
    }
