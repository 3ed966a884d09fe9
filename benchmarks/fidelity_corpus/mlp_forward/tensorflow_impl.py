import tensorflow as tf


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(d_in,)),
        tf.keras.layers.Dense(hidden, activation="relu"),
        tf.keras.layers.Dense(inputs["w2"].shape[1]),
    ])
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])  # easeval: glue
    return {"model": model, "x": tf.constant(inputs["x"])}


def run(state):
    return state["model"](state["x"], training=False)
