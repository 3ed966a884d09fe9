import tensorflow as tf


def softmax(logits):
    return tf.nn.softmax(tf.convert_to_tensor(logits), axis=-1)
