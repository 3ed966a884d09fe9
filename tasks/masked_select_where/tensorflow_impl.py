import tensorflow as tf


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    x, y = t["x"], t["y"]
    mask = x > t["threshold"]
    where = tf.where(mask, x, y)
    return {
        "selected": tf.boolean_mask(x, mask),
        "where": where,
        "cumsum": tf.math.cumsum(where, axis=1),
    }
