import tensorflow as tf


def setup(inputs, device):
    return {"x": tf.constant(inputs["x"]), "w": tf.Variable(inputs["w"])}


def run(state):
    x, w = state["x"], state["w"]
    with tf.GradientTape() as tape:
        y = x @ w
        loss = tf.reduce_mean(y**2)
    grad = tape.gradient(loss, w)
    return {"y": y, "grad": grad}
