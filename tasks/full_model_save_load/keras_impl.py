import os
import tempfile

import keras


def setup(inputs, device):
    d_in, hidden = inputs["w_in"].shape
    x_in = keras.Input(shape=(d_in,))
    h = keras.layers.Dense(hidden, activation="relu")(x_in)
    residual = keras.layers.Dense(hidden)(h)
    h = keras.layers.ReLU()(keras.layers.add([h, residual]))
    outputs = keras.layers.Dense(inputs["w_out"].shape[1])(h)
    model = keras.Model(x_in, outputs)
    # easeval: glue-begin
    model.set_weights(
        [inputs[k] for k in ("w_in", "b_in", "w_res", "b_res", "w_out", "b_out")]
    )
    # easeval: glue-end
    return {
        "model": model,
        "x": keras.ops.convert_to_tensor(inputs["x"]),
        "path": os.path.join(tempfile.mkdtemp(), "model.keras"),
    }


def run(state):
    model, x = state["model"], state["x"]
    model.save(state["path"])

    # The .keras file holds the architecture as well as the weights: nothing to rebuild by hand.
    reloaded = keras.saving.load_model(state["path"])
    original_outputs = model(x, training=False)
    outputs = reloaded(x, training=False)
    return {
        "outputs": outputs,
        "matches_original": bool(keras.ops.all(outputs == original_outputs)),
    }
