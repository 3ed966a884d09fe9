import tempfile

import tensorflow as tf

learning_rate = 0.05
momentum = 0.9
batch_size = 16
epochs_before = 2
epochs_after = 2


def build_model(d_in, hidden, d_out):
    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(d_out),
        ]
    )


def setup(inputs, device):
    return {
        # easeval: glue-begin
        "initial_weights": [inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]],
        # easeval: glue-end
        "sizes": (inputs["x"].shape[1], inputs["w1"].shape[1], inputs["y"].shape[1]),
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "train_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x"], inputs["y"])
        ).batch(batch_size),
        "x": tf.constant(inputs["x"]),
        "checkpoint_dir": tempfile.mkdtemp(),
    }


@tf.function
def train_step(model, loss_fn, optimizer, x_batch, y_batch):
    with tf.GradientTape() as tape:
        loss = loss_fn(y_batch, model(x_batch, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    return loss


def train_epoch(model, loss_fn, optimizer, dataset):
    return tf.reduce_mean(
        [
            train_step(model, loss_fn, optimizer, x_batch, y_batch)
            for x_batch, y_batch in dataset
        ]
    )


def new_training_state(sizes):
    model = build_model(*sizes)
    optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum)
    # create the momentum slots before a restore fills them
    optimizer.build(model.trainable_variables)
    epoch = tf.Variable(0)
    return model, optimizer, epoch


def run(state):
    loss_fn, dataset = state["loss_fn"], state["train_dataset"]
    model, optimizer, epoch = new_training_state(state["sizes"])
    model.set_weights(state["initial_weights"])  # easeval: glue
    epoch_loss = []
    for _ in range(epochs_before):
        epoch_loss.append(train_epoch(model, loss_fn, optimizer, dataset))
        epoch.assign_add(1)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
    manager = tf.train.CheckpointManager(
        checkpoint, state["checkpoint_dir"], max_to_keep=1
    )
    manager.save()

    # Resume in fresh objects, as a new process would.
    model, optimizer, epoch = new_training_state(state["sizes"])
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
    checkpoint.restore(manager.latest_checkpoint).assert_consumed()
    while epoch < epochs_before + epochs_after:
        epoch_loss.append(train_epoch(model, loss_fn, optimizer, dataset))
        epoch.assign_add(1)
    return {"epoch_loss": epoch_loss, "predictions": model(state["x"], training=False)}
