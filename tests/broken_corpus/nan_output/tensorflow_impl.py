import tensorflow as tf


def setup(inputs, device):
    return tf.constant(inputs["x"])


def run(x):
    return tf.math.log(-tf.abs(x) - 1.0)
