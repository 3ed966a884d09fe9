import tensorflow as tf

body_lr = 0.01
head_lr = 0.1
batch_size = 16
epochs = 3


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(inputs["y"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2", "w3", "b3")])
    # easeval: glue-end
    model.layers[0].trainable = False
    return {
        "model": model,
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        # Keras optimizers have one learning rate each: one optimizer per parameter group.
        "body_optimizer": tf.keras.optimizers.SGD(learning_rate=body_lr),
        "head_optimizer": tf.keras.optimizers.SGD(learning_rate=head_lr),
        "train_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x"], inputs["y"])
        ).batch(batch_size),
    }


@tf.function
def train_step(model, loss_fn, body_optimizer, head_optimizer, x_batch, y_batch):
    body, head = model.layers[1].trainable_weights, model.layers[2].trainable_weights
    with tf.GradientTape() as tape:
        loss = loss_fn(y_batch, model(x_batch, training=True))
    body_grads, head_grads = tape.gradient(loss, [body, head])
    body_optimizer.apply_gradients(zip(body_grads, body))
    head_optimizer.apply_gradients(zip(head_grads, head))
    return loss


def run(state):
    model = state["model"]
    epoch_loss = []
    for _ in range(epochs):
        losses = [
            train_step(
                model,
                state["loss_fn"],
                state["body_optimizer"],
                state["head_optimizer"],
                x_batch,
                y_batch,
            )
            for x_batch, y_batch in state["train_dataset"]
        ]
        epoch_loss.append(tf.reduce_mean(losses))
    return {"epoch_loss": epoch_loss, "weights": model.weights}
