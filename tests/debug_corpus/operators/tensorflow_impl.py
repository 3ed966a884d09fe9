import tensorflow as tf


@tf.function
def scores(a, b):
    product = tf.matmul(a, b)
    return tf.nn.relu(product)


def setup(inputs, device):
    x = tf.constant(inputs["x"])
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(8, activation="relu"),
        tf.keras.layers.Dense(2),
    ])
    model.set_weights([inputs["w"], inputs["b"]])  # easeval: glue
    return {"x": x, "model": model, "optimizer": tf.keras.optimizers.SGD(learning_rate=0.1)}


def run(state):
    x, model, optimizer = state["x"], state["model"], state["optimizer"]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    with tf.device("/CPU:0"):
        flat = tf.reshape(x, [2, 6])
    totals = tf.reduce_sum(flat, axis=1)
    first = x[:, :2]
    safe = tf.math.log1p(totals)
    return {"flat": flat, "totals": totals, "first": first, "safe": safe, "scores": scores(x, tf.transpose(x))}


def train(model, x, y, tape):
    loss_fn = tf.keras.losses.MeanSquaredError()
    labels = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    probs = tf.nn.softmax(x)
    tape.watch(x)
    loss = loss_fn(y, model(x, training=True))
    return float(loss), labels(y, probs)
