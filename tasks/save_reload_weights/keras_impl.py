import os
import tempfile

import keras


def build_model(d_in, hidden, d_out):
    return keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden),
            keras.layers.BatchNormalization(epsilon=1e-5),
            keras.layers.ReLU(),
            keras.layers.Dense(d_out),
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
        "x": keras.ops.convert_to_tensor(inputs["x"]),
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
        "matches_original": bool(keras.ops.all(outputs == original_outputs)),
    }
