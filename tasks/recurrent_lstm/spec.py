"""A single-layer LSTM over a sequence, a dense head on the last hidden state, and backpropagation
through time for the input gradient, written out by hand in NumPy.

Shared weights use the x @ W layout with the four gate blocks along the last axis in the order
input, forget, cell candidate, output: the order of both torch.nn.LSTM (i, f, g, o) and
tf.keras.layers.LSTM (i, f, c, o). There are two bias vectors, as in PyTorch (b_ih, b_hh); Keras
has one, which is their sum.
"""

import numpy as np


def make_inputs(
    rng: np.random.Generator,
    batch: int,
    steps: int,
    features: int,
    hidden: int,
    outputs: int,
) -> dict:
    bound = 1 / np.sqrt(hidden)  # PyTorch's default LSTM and Linear init scale

    def uniform(shape):
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {
        "x": rng.standard_normal((batch, steps, features), dtype=np.float32),
        "y": rng.standard_normal((batch, outputs), dtype=np.float32),
        "w_x": uniform((features, 4 * hidden)),
        "w_h": uniform((hidden, 4 * hidden)),
        "b_x": uniform(4 * hidden),
        "b_h": uniform(4 * hidden),
        "head_w": uniform((hidden, outputs)),
        "head_b": uniform(outputs),
    }


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"].astype(np.float64)
    w_x, w_h, head_w, head_b = (
        inputs[k].astype(np.float64) for k in ("w_x", "w_h", "head_w", "head_b")
    )
    bias = inputs["b_x"].astype(np.float64) + inputs["b_h"].astype(np.float64)
    batch, steps, _ = x.shape
    hidden = w_h.shape[0]

    h, c = np.zeros((batch, hidden)), np.zeros((batch, hidden))
    tape = []
    for t in range(steps):
        z = x[:, t] @ w_x + h @ w_h + bias
        i, f, g, o = (
            sigmoid(z[:, :hidden]),
            sigmoid(z[:, hidden : 2 * hidden]),
            np.tanh(z[:, 2 * hidden : 3 * hidden]),
            sigmoid(z[:, 3 * hidden :]),
        )
        c_prev = c
        c = f * c_prev + i * g
        h = o * np.tanh(c)
        tape.append((i, f, g, o, c_prev, c))
    prediction = h @ head_w + head_b
    err = prediction - y
    loss = np.mean(err**2)

    # Backpropagation through time: the loss reaches the sequence only through the last h.
    d_h = (2.0 * err / err.size) @ head_w.T
    d_c = np.zeros_like(d_h)
    d_x = np.zeros_like(x)
    for t in reversed(range(steps)):
        i, f, g, o, c_prev, c = tape[t]
        tanh_c = np.tanh(c)
        d_o = d_h * tanh_c
        d_c = d_c + d_h * o * (1.0 - tanh_c**2)
        d_z = np.concatenate(
            [
                d_c * g * i * (1.0 - i),
                d_c * c_prev * f * (1.0 - f),
                d_c * i * (1.0 - g**2),
                d_o * o * (1.0 - o),
            ],
            axis=1,
        )
        d_x[:, t] = d_z @ w_x.T
        d_h = d_z @ w_h.T
        d_c = d_c * f
    return {"prediction": prediction, "loss": loss, "input_grad": d_x}
