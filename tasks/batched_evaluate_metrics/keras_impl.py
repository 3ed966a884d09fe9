import keras

BATCH_SIZE = 100


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    model = keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(classes),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    x = keras.ops.convert_to_tensor(inputs["x"])
    labels = keras.ops.convert_to_tensor(inputs["labels"])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=None
    )
    loss_metric = keras.metrics.Mean()
    acc_metric = keras.metrics.SparseCategoricalAccuracy()
    return model, x, labels, loss_fn, loss_metric, acc_metric


def run(state):
    model, x, labels, loss_fn, loss_metric, acc_metric = state
    loss_metric.reset_state()
    acc_metric.reset_state()
    batch_losses = []
    for start in range(0, x.shape[0], BATCH_SIZE):
        x_batch = x[start : start + BATCH_SIZE]
        y_batch = labels[start : start + BATCH_SIZE]
        logits = model(x_batch, training=False)
        losses = loss_fn(y_batch, logits)
        loss_metric.update_state(losses)
        acc_metric.update_state(y_batch, logits)
        batch_losses.append(keras.ops.mean(losses))
    return {
        "mean_cross_entropy": loss_metric.result(),
        "accuracy": acc_metric.result(),
        "batch_losses": keras.ops.stack(batch_losses),
    }
