import tensorflow as tf

learning_rate = 0.05
momentum = 0.9
step_size = 2
gamma = 0.5
batch_size = 16
epochs = 6


@tf.function
def train_step(model, loss_fn, optimizer, train_loss, x_batch, y_batch):
    with tf.GradientTape() as tape:
        predictions = model(x_batch, training=True)
        loss = loss_fn(y_batch, predictions)
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)
    train_loss.update_state(loss)


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
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size)
    # Keras schedules count optimizer steps: a staircase decay every step_size epochs of steps is the
    # per-epoch step decay.
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(
        learning_rate,
        decay_steps=step_size * len(dataset),
        decay_rate=gamma,
        staircase=True,
    )
    return {
        "model": model,
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "optimizer": tf.keras.optimizers.SGD(learning_rate=schedule, momentum=momentum),
        "train_loss": tf.keras.metrics.Mean(),
        "dataset": dataset,
        "x": tf.constant(x),
    }


def run(state):
    model, optimizer, train_loss = (
        state["model"],
        state["optimizer"],
        state["train_loss"],
    )
    epoch_loss, epoch_lr = [], []
    for _ in range(epochs):
        epoch_lr.append(optimizer.learning_rate)
        for x_batch, y_batch in state["dataset"]:
            train_step(model, state["loss_fn"], optimizer, train_loss, x_batch, y_batch)
        epoch_loss.append(train_loss.result())
        train_loss.reset_state()
    return {
        "epoch_loss": epoch_loss,
        "learning_rate": epoch_lr,
        "predictions": model(state["x"], training=False),
    }
