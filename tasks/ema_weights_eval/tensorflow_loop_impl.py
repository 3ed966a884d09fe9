import tensorflow as tf

learning_rate = 0.1
ema_momentum = 0.9
batch_size = 16
epochs = 5
eval_batch_size = 64


@tf.function
def train_step(model, loss_fn, optimizer, train_loss, x_batch, y_batch):
    with tf.GradientTape() as tape:
        loss = loss_fn(y_batch, model(x_batch, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    # also updates the optimizer's moving average
    optimizer.apply(grads, model.trainable_weights)
    train_loss.update_state(loss)


@tf.function
def test_step(model, loss_fn, test_loss, x_batch, y_batch):
    test_loss.update_state(loss_fn(y_batch, model(x_batch, training=False)))


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    return {
        "model": model,
        # easeval: glue-begin
        "initial_weights": [inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]],
        # easeval: glue-end
        "loss_fn": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "optimizer": tf.keras.optimizers.SGD(
            learning_rate=learning_rate, use_ema=True, ema_momentum=ema_momentum
        ),
        "train_loss": tf.keras.metrics.Mean(),
        "test_loss": tf.keras.metrics.Mean(),
        "train_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x_train"], inputs["y_train"])
        ).batch(batch_size),
        "test_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x_test"], inputs["y_test"])
        ).batch(eval_batch_size),
    }


def run(state):
    model, loss_fn, optimizer = state["model"], state["loss_fn"], state["optimizer"]
    train_loss, test_loss = state["train_loss"], state["test_loss"]
    # easeval: glue-begin
    model.set_weights(state["initial_weights"])
    # iteration 0 copies the weights into the average, as on a fresh optimizer
    optimizer.iterations.assign(0)
    # easeval: glue-end
    epoch_loss = []
    for _ in range(epochs):
        for x_batch, y_batch in state["train_dataset"]:
            train_step(model, loss_fn, optimizer, train_loss, x_batch, y_batch)
        epoch_loss.append(train_loss.result())
        train_loss.reset_state()
    # Without fit(), the loop writes the moving average into the model's weights itself.
    optimizer.finalize_variable_values(model.trainable_weights)
    for x_batch, y_batch in state["test_dataset"]:
        test_step(model, loss_fn, test_loss, x_batch, y_batch)
    eval_loss = test_loss.result()
    test_loss.reset_state()
    return {
        "epoch_loss": epoch_loss,
        "ema_weights": model.weights,
        "eval_loss": eval_loss,
    }
