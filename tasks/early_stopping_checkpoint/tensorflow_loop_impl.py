import os
import tempfile

import tensorflow as tf

learning_rate = 0.2
batch_size = 16
max_epochs = 100
patience = 3


@tf.function
def train_step(model, loss_fn, optimizer, x_batch, y_batch):
    with tf.GradientTape() as tape:
        loss = loss_fn(y_batch, model(x_batch, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)


@tf.function
def test_step(model, loss_fn, val_loss, x_batch, y_batch):
    val_loss.update_state(loss_fn(y_batch, model(x_batch, training=False)))


def setup(inputs, device):
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(inputs["x_train"].shape[1],)),
            tf.keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
            tf.keras.layers.Dense(inputs["y_train"].shape[1]),
        ]
    )
    return {
        "model": model,
        # easeval: glue-begin
        "initial_weights": [inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]],
        # easeval: glue-end
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "optimizer": tf.keras.optimizers.SGD(learning_rate=learning_rate),
        "val_loss": tf.keras.metrics.Mean(),
        "train_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x_train"], inputs["y_train"])
        ).batch(batch_size),
        "val_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x_val"], inputs["y_val"])
        ).batch(batch_size),
        "x_val": tf.constant(inputs["x_val"]),
        "checkpoint_dir": tempfile.mkdtemp(),
    }


def run(state):
    model, loss_fn, optimizer = state["model"], state["loss_fn"], state["optimizer"]
    val_loss = state["val_loss"]
    model.set_weights(state["initial_weights"])  # easeval: glue
    checkpoint_path = os.path.join(state["checkpoint_dir"], "best_model.weights.h5")
    best_loss, epochs_without_improvement = float("inf"), 0
    val_history = []
    for epoch in range(max_epochs):
        for x_batch, y_batch in state["train_dataset"]:
            train_step(model, loss_fn, optimizer, x_batch, y_batch)
        for x_batch, y_batch in state["val_dataset"]:
            test_step(model, loss_fn, val_loss, x_batch, y_batch)
        epoch_val_loss = float(val_loss.result())
        val_loss.reset_state()
        val_history.append(epoch_val_loss)
        if epoch_val_loss < best_loss:
            best_loss, epochs_without_improvement = epoch_val_loss, 0
            model.save_weights(checkpoint_path)
        else:
            epochs_without_improvement += 1
            if epochs_without_improvement >= patience:
                break
    model.load_weights(checkpoint_path)
    return {
        "stopped_epoch": epoch,
        "val_loss": val_history,
        "predictions": model(state["x_val"], training=False),
    }
