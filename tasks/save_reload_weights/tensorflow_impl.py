import os
import tempfile

import tensorflow as tf


def build_model(d_in, hidden, d_out):
    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden),
            tf.keras.layers.BatchNormalization(epsilon=1e-5),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Dense(d_out),
        ]
    )


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    d_out = inputs["w2"].shape[1]
    model = build_model(d_in, hidden, d_out)
    # easeval: glue-begin
    model.set_weights(
        [
            inputs[k]
            for k in (
                "w1",
                "b1",
                "gamma",
                "beta",
                "running_mean",
                "running_var",
                "w2",
                "b2",
            )
        ]
    )
    # easeval: glue-end
    return {
        "model": model,
        "sizes": (d_in, hidden, d_out),
        "x": tf.constant(inputs["x"]),
        "path": os.path.join(tempfile.mkdtemp(), "model.weights.h5"),
    }


def run(state):
    model, x = state["model"], state["x"]
    model.save_weights(state["path"])

    reloaded = build_model(*state["sizes"])
    reloaded.load_weights(state["path"])
    # One batch: call the model (predict() builds and traces a new function for every fresh model).
    original_outputs = model(x, training=False)
    outputs = reloaded(x, training=False)
    return {
        "outputs": outputs,
        "matches_original": bool(tf.reduce_all(outputs == original_outputs)),
    }
