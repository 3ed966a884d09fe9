import tensorflow as tf


class TemperatureLinear(tf.keras.layers.Layer):
    """A linear layer whose output is divided by a learned temperature, kept positive as exp(log_t)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.weight = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.bias = self.add_weight(
            shape=(self.units,), initializer="zeros", trainable=True
        )
        self.log_temperature = self.add_weight(
            shape=(), initializer="zeros", trainable=True
        )

    def call(self, inputs):
        return (tf.matmul(inputs, self.weight) + self.bias) / tf.exp(
            self.log_temperature
        )


def setup(inputs, device):
    x = tf.constant(inputs["x"])
    layer = TemperatureLinear(inputs["weight"].shape[1])
    # easeval: glue-begin
    layer.build(x.shape)  # create the weights now, so that they can be set
    layer.set_weights([inputs["weight"], inputs["bias"], inputs["log_temperature"]])
    # easeval: glue-end
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return {
        "layer": layer,
        "x": x,
        "labels": tf.constant(inputs["labels"]),
        "loss_fn": loss_fn,
    }


def run(state):
    layer = state["layer"]
    with tf.GradientTape() as tape:
        logits = layer(state["x"])
        loss = state["loss_fn"](state["labels"], logits)
    weight_grad, bias_grad, log_temperature_grad = tape.gradient(
        loss, layer.trainable_weights
    )
    grads = {
        "weight": weight_grad,
        "bias": bias_grad,
        "log_temperature": log_temperature_grad,
    }
    return {"logits": logits, "loss": loss, "grads": grads}
