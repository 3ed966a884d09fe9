import tensorflow as tf

learning_rate = 0.05
momentum = 0.9
micro_batch_size = 8
accumulation_steps = 4
epochs = 3


def setup(inputs, device):
    x, y = inputs["x"], inputs["y"]
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(x.shape[1],)),
            tf.keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
            tf.keras.layers.Dense(y.shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    # The optimizer averages the gradients of accumulation_steps batches and then steps once.
    optimizer = tf.keras.optimizers.SGD(
        learning_rate=learning_rate,
        momentum=momentum,
        gradient_accumulation_steps=accumulation_steps,
    )
    return {
        "model": model,
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "optimizer": optimizer,
        "train_dataset": tf.data.Dataset.from_tensor_slices((x, y)).batch(
            micro_batch_size
        ),
        "x": tf.constant(x),
    }


@tf.function
def train_step(model, loss_fn, optimizer, x_batch, y_batch):
    with tf.GradientTape() as tape:
        loss = loss_fn(y_batch, model(x_batch, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    return loss


def run(state):
    model, loss_fn, optimizer = state["model"], state["loss_fn"], state["optimizer"]
    epoch_loss = []
    for _ in range(epochs):
        losses = [
            train_step(model, loss_fn, optimizer, x_batch, y_batch)
            for x_batch, y_batch in state["train_dataset"]
        ]
        epoch_loss.append(tf.reduce_mean(losses))
    return {"epoch_loss": epoch_loss, "predictions": model(state["x"], training=False)}
