import os
import tempfile

import tensorflow as tf


class DenseLayer(tf.Module):
    def __init__(self, weights, bias, activation=tf.identity):
        super().__init__()
        self.w = tf.Variable(weights)
        self.b = tf.Variable(bias)
        self.activation = activation

    def __call__(self, x):
        return self.activation(tf.matmul(x, self.w) + self.b)


class Classifier(tf.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, None], dtype=tf.float32)])
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return tf.nn.softmax(x)


def setup(inputs, device):
    # Layers take their initial values from the shared weights, as tf.Variable always needs one.
    model = Classifier(
        [
            DenseLayer(inputs["w1"], inputs["b1"], activation=tf.nn.relu),
            DenseLayer(inputs["w2"], inputs["b2"]),
        ]
    )
    return {
        "model": model,
        "x": tf.constant(inputs["x"]),
        "path": os.path.join(tempfile.mkdtemp(), "classifier"),
    }


def run(state):
    model = state["model"]
    tf.saved_model.save(
        model, state["path"], signatures=model.__call__.get_concrete_function()
    )

    imported = tf.saved_model.load(state["path"])
    serving_fn = imported.signatures["serving_default"]
    x = state["x"]
    return {
        "batch": serving_fn(x=x)["output_0"],
        "single": serving_fn(x=x[:1])["output_0"],
    }
