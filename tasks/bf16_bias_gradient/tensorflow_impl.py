import tensorflow as tf


class Bias(tf.keras.layers.Layer):
    """A bias added in the layer's own dtype (float32 here), so its gradient is summed in float32."""

    def build(self, input_shape):
        self.bias = self.add_weight(shape=(input_shape[-1],), initializer="zeros")

    def call(self, inputs):
        return inputs + self.bias


def setup(inputs, device):
    tf.keras.mixed_precision.set_global_policy("mixed_bfloat16")
    d_in, classes = inputs["w"].shape
    # The Dense layer computes in bfloat16 without its own bias: on CPU, TensorFlow sums a bfloat16
    # bias gradient in bfloat16 (BiasAddGrad), which stalls on large batches. The bias is added in
    # float32, which also keeps the model's output in float32, as the mixed precision guide advises.
    dense = tf.keras.layers.Dense(classes, use_bias=False)
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=(d_in,)), dense, Bias(dtype="float32")]
    )
    model.set_weights([inputs["w"], inputs["b"]])  # easeval: glue
    return {
        "model": model,
        "loss_fn": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "reduced_precision": dense.output.dtype == "bfloat16",
        "x": tf.constant(inputs["x"]),
        "y": tf.constant(inputs["y"]),
    }


def run(state):
    model = state["model"]
    with tf.GradientTape() as tape:
        logits = model(state["x"], training=True)
        loss = state["loss_fn"](state["y"], logits)
    grad_w, grad_b = tape.gradient(loss, model.trainable_variables)
    return {
        "loss": loss,
        "grad_w": grad_w,
        "grad_b": grad_b,
        "reduced_precision": state["reduced_precision"],
    }
