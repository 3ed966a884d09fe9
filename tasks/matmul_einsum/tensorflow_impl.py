import tensorflow as tf


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    product = t["a"] @ t["b"]
    bilinear = tf.einsum("bi,ij,bj->b", t["x"], t["w"], t["y"])
    return {"product": product, "bilinear": bilinear}
