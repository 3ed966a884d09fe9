import tensorflow as tf


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    x, centers, logits = t["x"], t["centers"], t["logits"]
    mean = tf.reduce_mean(x, axis=0, keepdims=True)
    std = tf.math.reduce_std(x, axis=0, keepdims=True)
    sq_distances = tf.reduce_sum(
        (x[:, tf.newaxis, :] - centers[tf.newaxis, :, :]) ** 2, axis=2
    )
    return {
        "standardized": (x - mean) / std,
        "sq_distances": sq_distances,
        "nearest_center": tf.argmin(sq_distances, axis=1),
        "row_sum": tf.reduce_sum(x, axis=1),
        "row_mean_keepdims": tf.reduce_mean(x, axis=1, keepdims=True),
        "column_max": tf.reduce_max(x, axis=0),
        "row_argmax": tf.argmax(logits, axis=1),
        "logsumexp": tf.reduce_logsumexp(logits, axis=1),
    }
