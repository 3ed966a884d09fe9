import tensorflow as tf


class TemperatureLinear(tf.Module):
    """A linear layer whose output is divided by a learned temperature, kept positive as exp(log_t)."""

    def __init__(self, weight, bias, log_temperature, name=None):
        super().__init__(name=name)
        self.weight = tf.Variable(weight, name="weight")
        self.bias = tf.Variable(bias, name="bias")
        self.log_temperature = tf.Variable(log_temperature, name="log_temperature")

    def __call__(self, x):
        return (tf.matmul(x, self.weight) + self.bias) / tf.exp(self.log_temperature)


def setup(inputs, device):
    # The variables take their initial values from the shared weights, as tf.Variable always needs one.
    layer = TemperatureLinear(
        inputs["weight"], inputs["bias"], inputs["log_temperature"]
    )
    return {
        "layer": layer,
        "x": tf.constant(inputs["x"]),
        "labels": tf.constant(inputs["labels"]),
    }


def run(state):
    layer = state["layer"]
    with tf.GradientTape() as tape:
        logits = layer(state["x"])
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(state["labels"], logits)
        )
    variables = {
        "weight": layer.weight,
        "bias": layer.bias,
        "log_temperature": layer.log_temperature,
    }
    grads = tape.gradient(loss, variables)
    return {"logits": logits, "loss": loss, "grads": grads}
