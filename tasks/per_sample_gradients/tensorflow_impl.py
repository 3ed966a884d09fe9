import tensorflow as tf


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="tanh"),
            tf.keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {
        "model": model,
        # reduction="none": one loss per example, so the Jacobian has one gradient per example.
        "loss_fn": tf.keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction="none"
        ),
        "x": tf.constant(inputs["x"]),
        "labels": tf.constant(inputs["labels"]),
    }


def run(state):
    model = state["model"]
    with tf.GradientTape() as tape:
        per_example_loss = state["loss_fn"](state["labels"], model(state["x"]))
    return tape.jacobian(per_example_loss, model.trainable_variables)
