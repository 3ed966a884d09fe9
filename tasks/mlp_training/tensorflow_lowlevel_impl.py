import tensorflow as tf

learning_rate = 0.05
batch_size = 16
epochs = 5


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
    return {"model": model, "dataset": dataset, "x": tf.constant(inputs["x"])}


def train_step(model, x_batch, y_batch):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x_batch) - y_batch))
    grads = tape.gradient(loss, model.trainable_variables)
    for variable, grad in zip(model.trainable_variables, grads):
        variable.assign_sub(learning_rate * grad)
    return loss


def run(state):
    model = state["model"]
    epoch_loss = []
    for _ in range(epochs):
        batch_losses = [
            train_step(model, x_batch, y_batch) for x_batch, y_batch in state["dataset"]
        ]
        epoch_loss.append(tf.reduce_mean(batch_losses))
    return {"epoch_loss": epoch_loss, "predictions": model(state["x"])}
