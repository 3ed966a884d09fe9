import tensorflow as tf


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(inputs["w3"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2", "w3", "b3")])
    # easeval: glue-end
    feature_extractor = tf.keras.Model(
        inputs=model.inputs, outputs=[layer.output for layer in model.layers]
    )
    return {"feature_extractor": feature_extractor, "x": tf.constant(inputs["x"])}


def run(state):
    hidden1, hidden2, output = state["feature_extractor"](state["x"])
    return {"hidden1": hidden1, "hidden2": hidden2, "output": output}
