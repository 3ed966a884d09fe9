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
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def compute_sample_grad(arg):
        with tf.GradientTape() as tape:
            sample, target = arg
            prediction = model(tf.expand_dims(sample, 0))
            loss = loss_fn(tf.expand_dims(target, 0), prediction)
        return tape.gradient(loss, model.trainable_variables)

    return {
        "compute_sample_grad": compute_sample_grad,
        "x": tf.constant(inputs["x"]),
        "labels": tf.constant(inputs["labels"]),
    }


def run(state):
    return tf.vectorized_map(
        state["compute_sample_grad"], (state["x"], state["labels"])
    )
