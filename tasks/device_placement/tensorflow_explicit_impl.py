import tensorflow as tf


def setup(inputs, device):
    device_name = "/GPU:0" if device == "cuda" else "/CPU:0"
    d_in, hidden = inputs["w1"].shape
    with tf.device(device_name):
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
    return {"model": model, "x": inputs["x"], "device_name": device_name}


def run(state):
    model, device_name = state["model"], state["device_name"]
    with tf.device(device_name):
        logits = model(state["x"])
    expected = tf.DeviceSpec.from_string(device_name).device_type
    placed = [
        tf.DeviceSpec.from_string(logits.device).device_type == expected,
        tf.DeviceSpec.from_string(model.weights[0].value.device).device_type
        == expected,
    ]
    return {"logits": logits, "on_requested_device": placed}
