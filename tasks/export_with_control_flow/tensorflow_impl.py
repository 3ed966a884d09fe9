import os
import tempfile

import tensorflow as tf


class BranchingMLP(tf.keras.Model):
    def __init__(self, hidden, d_out):
        super().__init__()
        self.input_layer = tf.keras.layers.Dense(hidden, activation="relu")
        self.branch_a = tf.keras.layers.Dense(hidden, activation="relu")
        self.branch_b = tf.keras.layers.Dense(hidden, activation="tanh")
        self.output_layer = tf.keras.layers.Dense(d_out)

    def call(self, x):
        h = self.input_layer(x)
        # tf.cond keeps both branches in the exported graph; a Python `if` would keep only one.
        h = tf.cond(
            tf.reduce_mean(x) > 0, lambda: self.branch_a(h), lambda: self.branch_b(h)
        )
        return self.output_layer(h)


def setup(inputs, device):
    d_in, hidden = inputs["w_in"].shape
    model = BranchingMLP(hidden, inputs["w_out"].shape[1])
    # easeval: glue-begin
    # Stands in for training (fit traces call, building both branches' layers) so that the shared
    # weights can be set; an eager call would build only the branch it takes.
    tf.function(model).get_concrete_function(
        tf.TensorSpec(shape=(None, d_in), dtype=tf.float32)
    )
    model.set_weights(
        [
            inputs[k]
            for k in ("w_in", "b_in", "w_a", "b_a", "w_b", "b_b", "w_out", "b_out")
        ]
    )
    # easeval: glue-end
    return {
        "model": model,
        "x_positive": tf.constant(inputs["x_positive"]),
        "x_negative": tf.constant(inputs["x_negative"]),
        "path": os.path.join(tempfile.mkdtemp(), "branching"),
    }


def run(state):
    state["model"].export(state["path"], format="tf_saved_model", verbose=False)

    served = tf.saved_model.load(state["path"])
    return {
        "positive": served.serve(state["x_positive"]),
        "negative": served.serve(state["x_negative"]),
    }
