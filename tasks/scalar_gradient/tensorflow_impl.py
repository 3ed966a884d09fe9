import tensorflow as tf


def setup(inputs, device):
    x = tf.constant(inputs["x"])
    w = tf.Variable(inputs["w"])
    return {"x": x, "w": w, "l2": float(inputs["l2"])}


def run(state):
    x, w = state["x"], state["w"]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.tanh(tf.linalg.matvec(x, w)) ** 2) + 0.5 * state[
            "l2"
        ] * tf.reduce_sum(w**2)
    grad = tape.gradient(loss, w)
    return {"value": loss, "grad": grad}
