import tensorflow as tf

learning_rate = 0.05
momentum = 0.875
batch_size = 32
epochs = 5


@tf.function
def train_step(model, loss_fn, optimizer, train_loss, x_batch, y_batch):
    with tf.GradientTape() as tape:
        predictions = model(x_batch, training=True)
        loss = loss_fn(y_batch, predictions)
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)
    train_loss.update_state(loss)


def setup(inputs, device):
    # floatx, Keras's default float type (float32), sets the dtype of the layers, the loss, the metric
    # and the optimizer's learning-rate variable: make it float64 before building any of them.
    tf.keras.config.set_floatx("float64")
    x, y = inputs["x"], inputs["y"]
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(x.shape[1],)),
            tf.keras.layers.Dense(inputs["w1"].shape[1], activation="tanh"),
            tf.keras.layers.Dense(y.shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {
        "model": model,
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "optimizer": tf.keras.optimizers.SGD(
            learning_rate=learning_rate, momentum=momentum
        ),
        "train_loss": tf.keras.metrics.Mean(),
        # tf.data keeps the NumPy arrays' dtype: the batches are float64.
        "dataset": tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size),
    }


def run(state):
    model, train_loss = state["model"], state["train_loss"]
    epoch_loss = []
    for _ in range(epochs):
        for x_batch, y_batch in state["dataset"]:
            train_step(
                model,
                state["loss_fn"],
                state["optimizer"],
                train_loss,
                x_batch,
                y_batch,
            )
        epoch_loss.append(train_loss.result())
        train_loss.reset_state()
    return {"epoch_loss": epoch_loss, "weights": model.weights}
