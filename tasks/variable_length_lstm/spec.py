"""A single-layer LSTM over zero-padded sequences of different lengths, a dense head on each
sequence's last real hidden state, and the input gradient by backpropagation through time, in NumPy.

Weights use the x @ W layout with the gate blocks in the order input, forget, cell candidate, output
(torch.nn.LSTM and tf.keras.layers.LSTM agree on it); PyTorch's two bias vectors sum to Keras' one.
A padded step leaves the state unchanged (what packing and masking both mean), so it gets no gradient.
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
    bound = 1 / np.sqrt(hidden)

    def uniform(shape):
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    lengths = rng.integers(1, steps + 1, batch)
    lengths[0] = steps  # the longest sequence fills the padded length
    x = rng.standard_normal((batch, steps, features), dtype=np.float32)
    # zero padding after each sequence
    x[np.arange(steps)[None, :] >= lengths[:, None]] = 0.0
    return {
        "x": x,
        "lengths": lengths.astype(np.int64),
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
    # (batch, steps)
    real = (np.arange(steps)[None, :] < inputs["lengths"][:, None]).astype(np.float64)

    h, c = np.zeros((batch, hidden)), np.zeros((batch, hidden))
    tape = []
    for t in range(steps):
        m = real[:, t : t + 1]
        z = x[:, t] @ w_x + h @ w_h + bias
        i, f = sigmoid(z[:, :hidden]), sigmoid(z[:, hidden : 2 * hidden])
        g, o = np.tanh(z[:, 2 * hidden : 3 * hidden]), sigmoid(z[:, 3 * hidden :])
        c_new = f * c + i * g
        tape.append((m, i, f, g, o, c, c_new))
        c = m * c_new + (1 - m) * c
        h = m * (o * np.tanh(c_new)) + (1 - m) * h
    prediction = h @ head_w + head_b
    err = prediction - y
    loss = np.mean(err**2)

    d_h = (2.0 * err / err.size) @ head_w.T
    d_c = np.zeros_like(d_h)
    d_x = np.zeros_like(x)
    for t in reversed(range(steps)):
        m, i, f, g, o, c_prev, c_new = tape[t]
        tanh_c = np.tanh(c_new)
        d_h_new = m * d_h
        d_c_new = m * d_c + d_h_new * o * (1.0 - tanh_c**2)
        d_z = np.concatenate(
            [
                d_c_new * g * i * (1.0 - i),
                d_c_new * c_prev * f * (1.0 - f),
                d_c_new * i * (1.0 - g**2),
                d_h_new * tanh_c * o * (1.0 - o),
            ],
            axis=1,
        )
        d_x[:, t] = d_z @ w_x.T
        d_h = d_z @ w_h.T + (1 - m) * d_h
        d_c = d_c_new * f + (1 - m) * d_c
    return {"prediction": prediction, "loss": loss, "input_grad": d_x}
