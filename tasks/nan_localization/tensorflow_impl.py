import tensorflow as tf


class Log(tf.keras.layers.Layer):
    def call(self, x):
        return tf.math.log(x)


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Dense(hidden),
            Log(),
            tf.keras.layers.Dense(inputs["w3"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2", "w3", "b3")])
    # easeval: glue-end
    # Every op now raises InvalidArgumentError as soon as it produces an Inf or a NaN.
    tf.debugging.enable_check_numerics()
    return {"model": model, "x": tf.constant(inputs["x"])}


def run(state):
    # Call the layers one by one, so that the one whose op raises is known.
    x = state["x"]
    for index, layer in enumerate(state["model"].layers):
        try:
            output = layer(x)
        except tf.errors.InvalidArgumentError:
            return {"first_nonfinite_layer": index, "last_finite_activation": x}
        x = output
    raise RuntimeError("no layer produced a non-finite value")
