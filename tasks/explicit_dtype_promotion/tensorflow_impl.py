import tensorflow as tf


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    counts, x, y = t["counts"], t["x"], t["y"]
    return {
        "weighted": tf.cast(counts, tf.float32) * x,
        "shifted": tf.cast(x, tf.float64) + y,
        "ratio": tf.cast(tf.cast(counts, tf.float64) / 3, tf.float32),
        "halved": counts // 2,
        "count_total": tf.reduce_sum(tf.cast(counts, tf.int64)),
        "weighted_total": tf.reduce_sum(tf.cast(counts, tf.float64) * y),
    }
