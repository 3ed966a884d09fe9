import keras
import tensorflow as tf


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w3"].shape[1]
    model = keras.Sequential(
        [
            keras.Input(shape=(d_in,), dtype="float16"),
            keras.layers.Dense(hidden, activation="relu", dtype="float16"),
            keras.layers.Dense(hidden, activation="relu", dtype="float16"),
            keras.layers.Dense(classes, dtype="float16"),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs[name] for name in ("w1", "b1", "w2", "b2", "w3", "b3")])
    # easeval: glue-end
    return model, tf.constant(inputs["x"])


def run(state):
    model, x = state
    logits = model(tf.cast(x, tf.float16), training=False)
    return tf.cast(logits, tf.float32)
