"""Mini-batch SGD with momentum on a two-layer tanh MLP, everything in float64, written out in NumPy.

The inputs (data and shared initial weights) are float64, and so is every step: the forward pass, the
mean squared error, the gradients, the momentum buffers and the learning rate. Momentum follows
torch.optim.SGD (buf = MOMENTUM * buf + grad; w -= LEARNING_RATE * buf), which with a constant learning
rate is the same update as Keras's SGD (v = MOMENTUM * v - LEARNING_RATE * grad; w += v).
"""

import numpy as np

LEARNING_RATE = 0.05
# 0.875 = 7/8 is exact in float32 as well: Keras casts Python-float hyperparameters such as momentum to
# the variable's dtype with tf.cast, which converts them to float32 first, even under floatx float64
# (0.9 would become 0.8999999761581421 there; see task.toml notes).
MOMENTUM = 0.875
BATCH_SIZE = 32
EPOCHS = 5


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    # Float64 on purpose (the task is about dtypes): any float32 rounding on the way shows at once.
    x = rng.standard_normal((n, d_in))
    true_w = rng.standard_normal((d_in, d_out)) / np.sqrt(d_in)
    y = np.sin(x @ true_w) + 0.1 * rng.standard_normal((n, d_out))
    # Shared initial weights, (fan_in, fan_out) kernels, drawn like the default uniform(-1/sqrt(fan_in), +).
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": x,
        "y": y,
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)),
        "b1": rng.uniform(-bound1, bound1, hidden),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)),
        "b2": rng.uniform(-bound2, bound2, d_out),
    }


def reference(inputs: dict) -> dict:
    x, y = inputs["x"], inputs["y"]
    params = [inputs[k].copy() for k in ("w1", "b1", "w2", "b2")]
    buffers = [np.zeros_like(p) for p in params]
    epoch_loss = []
    for _ in range(EPOCHS):
        batch_losses = []
        for start in range(0, len(x), BATCH_SIZE):
            xb, yb = x[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
            w1, b1, w2, b2 = params
            h = np.tanh(xb @ w1 + b1)
            err = h @ w2 + b2 - yb
            batch_losses.append(np.mean(err**2))
            d_pred = 2.0 * err / err.size
            d_h = (d_pred @ w2.T) * (1.0 - h**2)
            grads = [xb.T @ d_h, d_h.sum(axis=0), h.T @ d_pred, d_pred.sum(axis=0)]
            for p, buf, g in zip(params, buffers, grads):
                buf *= MOMENTUM
                buf += g
                p -= LEARNING_RATE * buf
        epoch_loss.append(np.mean(batch_losses))
    return {"epoch_loss": np.array(epoch_loss), "weights": params}
