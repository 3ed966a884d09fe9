import tensorflow as tf

learning_rate = 0.1
max_norm = 0.5


def setup(inputs, device):
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(inputs["w1"].shape[0],)),
            tf.keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
            tf.keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {
        "model": model,
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "optimizer": tf.keras.optimizers.SGD(learning_rate=learning_rate),
        "x": tf.constant(inputs["x"]),
        "y": tf.constant(inputs["y"]),
    }


def run(state):
    model = state["model"]
    with tf.GradientTape() as tape:
        loss = state["loss_fn"](state["y"], model(state["x"], training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    grads, grad_norm = tf.clip_by_global_norm(grads, max_norm)
    state["optimizer"].apply_gradients(zip(grads, model.trainable_weights))
    return {"grad_norm": grad_norm, "weights": model.trainable_weights}
