import tensorflow as tf

replicas = 2
learning_rate = 0.05
global_batch_size = 32
epochs = 2


def setup(inputs, device):
    if device != "cpu":
        raise NotImplementedError("written for 2 logical CPU devices")
    # Two logical devices on the one CPU; only possible before TensorFlow's runtime starts.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
    )
    strategy = tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(replicas)])
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.Input(shape=(inputs["x"].shape[1],)),
                tf.keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
                tf.keras.layers.Dense(inputs["y"].shape[1]),
            ]
        )
        optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)
        # Per-example losses, averaged over the global batch: each replica's share of the mean.
        loss_object = tf.keras.losses.MeanSquaredError(reduction="none")
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    dataset = tf.data.Dataset.from_tensor_slices((inputs["x"], inputs["y"])).batch(
        global_batch_size
    )
    return {
        "strategy": strategy,
        "model": model,
        "optimizer": optimizer,
        "loss_object": loss_object,
        "dist_dataset": strategy.experimental_distribute_dataset(dataset),
    }


def compute_loss(loss_object, labels, predictions):
    per_example_loss = loss_object(labels, predictions)
    return tf.nn.compute_average_loss(
        per_example_loss, global_batch_size=global_batch_size
    )


def train_step(model, optimizer, loss_object, inputs):
    features, labels = inputs
    with tf.GradientTape() as tape:
        loss = compute_loss(loss_object, labels, model(features, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


@tf.function
def distributed_train_step(strategy, model, optimizer, loss_object, dataset_inputs):
    per_replica_losses = strategy.run(
        train_step, args=(model, optimizer, loss_object, dataset_inputs)
    )
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)


def run(state):
    strategy, model = state["strategy"], state["model"]
    epoch_loss = []
    for _ in range(epochs):
        total_loss, num_batches = 0.0, 0
        for x in state["dist_dataset"]:
            total_loss += distributed_train_step(
                strategy, model, state["optimizer"], state["loss_object"], x
            )
            num_batches += 1
        epoch_loss.append(total_loss / num_batches)
    return {"epoch_loss": epoch_loss, "weights": model.trainable_weights}
