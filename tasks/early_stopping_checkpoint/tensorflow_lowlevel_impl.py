import tempfile

import tensorflow as tf

learning_rate = 0.2
batch_size = 16
max_epochs = 100
patience = 3


class DenseLayer(tf.Module):
    def __init__(self, weights, bias, activation=tf.identity):
        super().__init__()
        self.w = tf.Variable(weights)
        self.b = tf.Variable(bias)
        self.activation = activation

    def __call__(self, x):
        return self.activation(tf.matmul(x, self.w) + self.b)


class MLP(tf.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def mse(y_pred, y_true):
    return tf.reduce_mean(tf.square(y_pred - y_true))


def setup(inputs, device):
    # Layers take their initial values from the shared weights, as tf.Variable always needs one.
    model = MLP(
        [
            DenseLayer(inputs["w1"], inputs["b1"], activation=tf.nn.relu),
            DenseLayer(inputs["w2"], inputs["b2"]),
        ]
    )
    return {
        "model": model,
        # easeval: glue-begin
        "initial_weights": [(inputs["w1"], inputs["b1"]), (inputs["w2"], inputs["b2"])],
        # easeval: glue-end
        "train_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x_train"], inputs["y_train"])
        ).batch(batch_size),
        "val_dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x_val"], inputs["y_val"])
        ).batch(batch_size),
        "x_val": tf.constant(inputs["x_val"]),
        "checkpoint_dir": tempfile.mkdtemp(),
    }


def train_step(model, x_batch, y_batch):
    with tf.GradientTape() as tape:
        loss = mse(model(x_batch), y_batch)
    grads = tape.gradient(loss, model.trainable_variables)
    for variable, grad in zip(model.trainable_variables, grads):
        variable.assign_sub(learning_rate * grad)


def run(state):
    model = state["model"]
    # easeval: glue-begin
    for layer, (weights, bias) in zip(model.layers, state["initial_weights"]):
        layer.w.assign(weights)
        layer.b.assign(bias)
    # easeval: glue-end
    checkpoint = tf.train.Checkpoint(model=model)
    manager = tf.train.CheckpointManager(
        checkpoint, state["checkpoint_dir"], max_to_keep=1
    )
    best_loss, epochs_without_improvement = float("inf"), 0
    val_history = []
    for epoch in range(max_epochs):
        for x_batch, y_batch in state["train_dataset"]:
            train_step(model, x_batch, y_batch)
        val_loss = float(
            tf.reduce_mean(
                [
                    mse(model(x_batch), y_batch)
                    for x_batch, y_batch in state["val_dataset"]
                ]
            )
        )
        val_history.append(val_loss)
        if val_loss < best_loss:
            best_loss, epochs_without_improvement = val_loss, 0
            manager.save()
        else:
            epochs_without_improvement += 1
            if epochs_without_improvement >= patience:
                break
    checkpoint.restore(manager.latest_checkpoint)
    return {
        "stopped_epoch": epoch,
        "val_loss": val_history,
        "predictions": model(state["x_val"]),
    }
