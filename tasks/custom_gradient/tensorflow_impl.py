import tensorflow as tf


@tf.custom_gradient
def log1pexp(x):
    def grad(upstream):
        return upstream * tf.sigmoid(x)

    return tf.maximum(x, 0.0) + tf.math.log1p(tf.exp(-tf.abs(x))), grad


def setup(inputs, device):
    return {"x": tf.constant(inputs["x"]), "upstream": tf.constant(inputs["upstream"])}


def run(state):
    x = state["x"]
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
        total = tf.reduce_sum(state["upstream"] * y)
    return {"value": y, "grad": tape.gradient(total, x)}
