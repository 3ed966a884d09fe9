import tensorflow as tf
import easeval_no_such_framework


def setup(inputs, device):
    return tf.constant(inputs["x"])


def run(x):
    return easeval_no_such_framework.double(x)
