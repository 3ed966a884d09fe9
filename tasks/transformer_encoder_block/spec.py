"""One post-norm Transformer encoder block (self-attention, residual + LayerNorm, ReLU feed-forward,
residual + LayerNorm), forward pass written out in NumPy.

Shared projection weights use the x @ W layout, (d_model, d_model); the columns of the Q, K and V
projections are split into heads head-major (head h owns columns h*head_dim:(h+1)*head_dim), which is
how both torch.nn.MultiheadAttention and tf.keras.layers.MultiHeadAttention split them.
"""

import numpy as np

LAYER_NORM_EPSILON = 1e-5


def make_inputs(
    rng: np.random.Generator,
    batch: int,
    length: int,
    d_model: int,
    heads: int,
    d_ff: int,
) -> dict:
    def uniform(fan_in, shape):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    inputs = {
        "x": rng.standard_normal((batch, length, d_model), dtype=np.float32),
        "heads": np.int64(heads),
    }
    for name in ("q", "k", "v", "o"):
        inputs[f"w{name}"] = uniform(d_model, (d_model, d_model))
        inputs[f"b{name}"] = uniform(d_model, d_model)
    # not the 1/0 defaults, so that loading them is checked too
    for name in ("ln1", "ln2"):
        inputs[f"{name}_gamma"] = rng.uniform(0.5, 1.5, d_model).astype(np.float32)
        inputs[f"{name}_beta"] = rng.uniform(-0.5, 0.5, d_model).astype(np.float32)
    inputs["ff1_w"], inputs["ff1_b"] = (
        uniform(d_model, (d_model, d_ff)),
        uniform(d_model, d_ff),
    )
    inputs["ff2_w"], inputs["ff2_b"] = (
        uniform(d_ff, (d_ff, d_model)),
        uniform(d_ff, d_model),
    )
    return inputs


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)  # biased, as LayerNorm uses
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPSILON) * gamma + beta


def self_attention(x: np.ndarray, p: dict, heads: int) -> np.ndarray:
    batch, length, d_model = x.shape
    head_dim = d_model // heads

    def split_heads(t):  # (b, l, d_model) -> (b, heads, l, head_dim)
        return t.reshape(batch, length, heads, head_dim).transpose(0, 2, 1, 3)

    q, k, v = (split_heads(x @ p[f"w{n}"] + p[f"b{n}"]) for n in ("q", "k", "v"))
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim)
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, d_model)
    return context @ p["wo"] + p["bo"]


def reference(inputs: dict) -> np.ndarray:
    p = {k: v.astype(np.float64) for k, v in inputs.items() if k != "heads"}
    x = p["x"]
    x = layer_norm(
        x + self_attention(x, p, int(inputs["heads"])), p["ln1_gamma"], p["ln1_beta"]
    )
    ffn = np.maximum(x @ p["ff1_w"] + p["ff1_b"], 0.0) @ p["ff2_w"] + p["ff2_b"]
    return layer_norm(x + ffn, p["ln2_gamma"], p["ln2_beta"])
