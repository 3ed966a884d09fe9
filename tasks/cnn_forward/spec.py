"""A small CNN classifier: forward pass and input gradient of the cross-entropy, by hand in NumPy.

Images are NHWC (height, width, channels last), as image files and NumPy arrays hold them; conv
kernels are (kh, kw, c_in, c_out) and the dense weight is (in, out). Each framework converts to its
own layout. Layers: conv 3x3 'same' + ReLU, max-pool 2x2, conv 3x3 'valid' + ReLU, global average
pool, dense.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator,
    batch: int,
    size: int,
    c_in: int,
    c1: int,
    c2: int,
    classes: int,
) -> dict:
    # the frameworks' default uniform(-1/sqrt(fan_in), +) scale
    def uniform(fan_in, shape):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {
        "images": rng.standard_normal((batch, size, size, c_in), dtype=np.float32),
        "labels": rng.integers(0, classes, batch).astype(np.int64),
        "conv1_kernel": uniform(9 * c_in, (3, 3, c_in, c1)),
        "conv1_bias": uniform(9 * c_in, c1),
        "conv2_kernel": uniform(9 * c1, (3, 3, c1, c2)),
        "conv2_bias": uniform(9 * c1, c2),
        "dense_kernel": uniform(c2, (c2, classes)),
        "dense_bias": uniform(c2, classes),
    }


def conv2d_valid(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlation (what every framework calls convolution), NHWC input, no padding.

    One matrix product per kernel tap: out[b, i, j] += x[b, i + u, j + v] @ kernel[u, v].
    """
    out_h, out_w = x.shape[1] - kernel.shape[0] + 1, x.shape[2] - kernel.shape[1] + 1
    out = np.zeros((x.shape[0], out_h, out_w, kernel.shape[3]))
    for u in range(kernel.shape[0]):
        for v in range(kernel.shape[1]):
            out += x[:, u : u + out_h, v : v + out_w, :] @ kernel[u, v]
    return out


def conv2d_valid_input_grad(
    d_out: np.ndarray, kernel: np.ndarray, input_shape: tuple
) -> np.ndarray:
    """Gradient of conv2d_valid with respect to its input: scatter every output back over its window."""
    d_x = np.zeros(input_shape)
    out_h, out_w = d_out.shape[1:3]
    for u in range(kernel.shape[0]):
        for v in range(kernel.shape[1]):
            d_x[:, u : u + out_h, v : v + out_w, :] += d_out @ kernel[u, v].T
    return d_x


def reference(inputs: dict) -> dict:
    x = inputs["images"].astype(np.float64)
    k1, b1, k2, b2, wd, bd = (
        inputs[k].astype(np.float64)
        for k in (
            "conv1_kernel",
            "conv1_bias",
            "conv2_kernel",
            "conv2_bias",
            "dense_kernel",
            "dense_bias",
        )
    )
    labels = inputs["labels"]
    batch, height, width, _ = x.shape

    x_padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    z1 = conv2d_valid(x_padded, k1) + b1
    a1 = np.maximum(z1, 0.0)
    blocks = a1.reshape(batch, height // 2, 2, width // 2, 2, -1)
    pooled = blocks.max(axis=(2, 4))
    z2 = conv2d_valid(pooled, k2) + b2
    a2 = np.maximum(z2, 0.0)
    features = a2.mean(axis=(1, 2))
    logits = features @ wd + bd

    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(batch), labels].mean()

    d_logits = np.exp(log_probs)
    d_logits[np.arange(batch), labels] -= 1.0
    d_logits /= batch
    d_features = d_logits @ wd.T
    d_a2 = np.broadcast_to(
        d_features[:, None, None, :] / (a2.shape[1] * a2.shape[2]), a2.shape
    )
    d_z2 = d_a2 * (z2 > 0)
    d_pooled = conv2d_valid_input_grad(d_z2, k2, pooled.shape)
    # Max-pool routes the gradient to the maximum of each block. Ties only occur among zeros left by
    # the ReLU, whose gradient is zero anyway.
    is_max = blocks == pooled[:, :, None, :, None, :]
    d_a1 = (is_max * d_pooled[:, :, None, :, None, :]).reshape(a1.shape)
    d_z1 = d_a1 * (z1 > 0)
    d_x = conv2d_valid_input_grad(d_z1, k1, x_padded.shape)[:, 1:-1, 1:-1, :]
    return {"logits": logits, "loss": loss, "input_grad": d_x}
