import tensorflow as tf


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    table, indices, updates = t["table"], t["indices"], t["updates"]
    gathered = tf.gather(table, indices)
    scattered = tf.tensor_scatter_nd_add(
        tf.zeros_like(table), indices[:, tf.newaxis], updates
    )
    return {"gathered": gathered, "scattered": scattered}
