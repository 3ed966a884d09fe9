import tensorflow as tf


def setup(inputs, device):
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(inputs["x"].shape[1],)),
            tf.keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {"model": model, "x": tf.constant(inputs["x"])}


def run(state):
    return state["model"](state["x"])
