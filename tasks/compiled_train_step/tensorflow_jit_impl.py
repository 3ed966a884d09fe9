import tensorflow as tf

learning_rate = 0.05
momentum = 0.9


@tf.function(jit_compile=True)
def train_step(model, loss_fn, optimizer, x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)
    return loss


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(inputs["w3"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2", "w3", "b3")])
    # easeval: glue-end
    optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum)
    batches = int(inputs["x"].shape[0] // inputs["batch_size"])
    x, y = tf.constant(inputs["x"]), tf.constant(inputs["y"])
    return {
        "model": model,
        "loss_fn": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "optimizer": optimizer,
        "batches": list(zip(tf.split(x, batches), tf.split(y, batches))),
    }


def run(state):
    model = state["model"]
    losses = [
        train_step(model, state["loss_fn"], state["optimizer"], x, y)
        for x, y in state["batches"]
    ]
    weights = model.get_weights()
    return {"losses": losses, "weights": weights}
