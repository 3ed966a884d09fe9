import tensorflow as tf

learning_rate = 0.05
momentum = 0.9
step_size = 2
gamma = 0.5
batch_size = 16
epochs = 6


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


def setup(inputs, device):
    # Layers take their initial values from the shared weights, as tf.Variable always needs one.
    model = MLP(
        [
            DenseLayer(inputs["w1"], inputs["b1"], activation=tf.nn.relu),
            DenseLayer(inputs["w2"], inputs["b2"]),
        ]
    )
    dataset = tf.data.Dataset.from_tensor_slices((inputs["x"], inputs["y"])).batch(
        batch_size
    )
    # The schedule counts optimizer steps, so a staircase decay every step_size epochs of steps
    # is the per-epoch step decay.
    steps_per_epoch = int(dataset.cardinality())
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(
        learning_rate,
        decay_steps=step_size * steps_per_epoch,
        decay_rate=gamma,
        staircase=True,
    )
    optimizer = tf.keras.optimizers.SGD(learning_rate=schedule, momentum=momentum)
    return {
        "model": model,
        "dataset": dataset,
        "optimizer": optimizer,
        "x": tf.constant(inputs["x"]),
    }


def train_step(model, optimizer, x_batch, y_batch):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x_batch) - y_batch))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def run(state):
    model, dataset, optimizer = state["model"], state["dataset"], state["optimizer"]
    epoch_loss, epoch_lr = [], []
    for _ in range(epochs):
        epoch_lr.append(optimizer.learning_rate)
        batch_losses = [
            train_step(model, optimizer, x_batch, y_batch)
            for x_batch, y_batch in dataset
        ]
        epoch_loss.append(tf.reduce_mean(batch_losses))
    return {
        "epoch_loss": epoch_loss,
        "learning_rate": epoch_lr,
        "predictions": model(state["x"]),
    }
