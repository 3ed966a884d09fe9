import os
import tempfile

import keras


def build_model(d_in, hidden, classes):
    return keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(classes),
        ]
    )


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    # The pretrained 10-class model and its weights file: the file a user already has.
    pretrained = build_model(d_in, hidden, inputs["w_pretrained_head"].shape[1])
    # easeval: glue-begin
    pretrained.set_weights(
        [
            inputs[k]
            for k in ("w1", "b1", "w2", "b2", "w_pretrained_head", "b_pretrained_head")
        ]
    )
    # easeval: glue-end
    path = os.path.join(tempfile.mkdtemp(), "pretrained.weights.h5")
    pretrained.save_weights(path)
    return {
        "path": path,
        "sizes": (d_in, hidden, inputs["w_new_head"].shape[1]),
        "new_head": [inputs["w_new_head"], inputs["b_new_head"]],
        "x": keras.ops.convert_to_tensor(inputs["x"]),
    }


def run(state):
    model = build_model(*state["sizes"])
    model.layers[-1].set_weights(state["new_head"])  # easeval: glue

    # The 10-class head's weights do not fit the new head: skip_mismatch=True skips that layer (with a
    # warning) and loads the others, so the head keeps its fresh initialisation.
    model.load_weights(state["path"], skip_mismatch=True)

    # One batch: call the model (predict() builds and traces a new function for every fresh model).
    outputs = model(state["x"], training=False)
    backbone = model.layers[0].weights + model.layers[1].weights
    return {"outputs": outputs, "backbone": backbone, "head": model.layers[-1].weights}
