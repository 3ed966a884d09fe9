import os
import tempfile

import tensorflow as tf


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(None, d_in)),  # any sequence length
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.GlobalAveragePooling1D(),  # average over the time steps
            tf.keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {
        "model": model,
        "x_long": tf.constant(inputs["x_long"]),
        "x_short": tf.constant(inputs["x_short"]),
        "path": os.path.join(tempfile.mkdtemp(), "sequence_regressor"),
    }


def run(state):
    state["model"].export(state["path"], format="tf_saved_model", verbose=False)

    served = tf.saved_model.load(state["path"])
    return {
        "long": served.serve(state["x_long"]),
        "short": served.serve(state["x_short"]),
    }
