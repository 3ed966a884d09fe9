import tensorflow as tf


class LSTMCell(tf.Module):
    def __init__(self, w_x, w_h, bias):
        super().__init__()
        # (features, 4 * hidden): gates i, f, g, o side by side
        self.w_x = tf.Variable(w_x)
        self.w_h = tf.Variable(w_h)
        self.b = tf.Variable(bias)

    def __call__(self, x_t, h, c):
        z = tf.matmul(x_t, self.w_x) + tf.matmul(h, self.w_h) + self.b
        i, f, g, o = tf.split(z, 4, axis=1)
        c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
        h = tf.sigmoid(o) * tf.tanh(c)
        return h, c


class Dense(tf.Module):
    def __init__(self, weights, bias):
        super().__init__()
        self.w = tf.Variable(weights)
        self.b = tf.Variable(bias)

    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class SequenceRegressor(tf.Module):
    def __init__(self, cell, head):
        super().__init__()
        self.cell, self.head = cell, head

    def __call__(self, x):
        batch, hidden = tf.shape(x)[0], self.cell.w_h.shape[0]
        h = c = tf.zeros((batch, hidden))
        for x_t in tf.unstack(x, axis=1):  # unroll over the time axis
            h, c = self.cell(x_t, h, c)
        return self.head(h)


def setup(inputs, device):
    bias = inputs["b_x"] + inputs["b_h"]  # easeval: glue
    # Layers take their initial values from the shared weights, as tf.Variable always needs one.
    model = SequenceRegressor(
        LSTMCell(inputs["w_x"], inputs["w_h"], bias),
        Dense(inputs["head_w"], inputs["head_b"]),
    )
    return {
        "model": model,
        "x": tf.constant(inputs["x"]),
        "y": tf.constant(inputs["y"]),
    }


def run(state):
    x = state["x"]
    with tf.GradientTape() as tape:
        tape.watch(x)  # a constant, not a variable: ask the tape to track it
        prediction = state["model"](x)
        loss = tf.reduce_mean(tf.square(prediction - state["y"]))
    input_grad = tape.gradient(loss, x)
    return {"prediction": prediction, "loss": loss, "input_grad": input_grad}
