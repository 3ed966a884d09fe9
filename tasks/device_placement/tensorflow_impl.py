import tensorflow as tf


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    # The batch starts in host memory; TensorFlow copies it to the GPU itself when one is visible.
    return {"model": model, "x": inputs["x"], "device": device}


def run(state):
    model = state["model"]
    logits = model(state["x"])
    expected = "GPU" if state["device"] == "cuda" else "CPU"
    placed = [
        tf.DeviceSpec.from_string(logits.device).device_type == expected,
        tf.DeviceSpec.from_string(model.weights[0].value.device).device_type
        == expected,
    ]
    return {"logits": logits, "on_requested_device": placed}
