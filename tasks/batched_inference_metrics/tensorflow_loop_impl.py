import tensorflow as tf

batch_size = 256


@tf.function
def test_step(model, loss_fn, metrics, x_batch, y_batch):
    logits = model(x_batch, training=False)
    metrics["loss"].update_state(loss_fn(y_batch, logits))
    metrics["accuracy"].update_state(y_batch, logits)
    # rows: true class, columns: predicted class
    return tf.math.confusion_matrix(
        y_batch, tf.argmax(logits, axis=1), num_classes=logits.shape[1]
    )


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="relu"),
            tf.keras.layers.Dense(classes),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {
        "model": model,
        "loss_fn": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "metrics": {
            "loss": tf.keras.metrics.Mean(),
            "accuracy": tf.keras.metrics.SparseCategoricalAccuracy(),
        },
        "dataset": tf.data.Dataset.from_tensor_slices(
            (inputs["x"], inputs["labels"])
        ).batch(batch_size),
        "classes": classes,
    }


def run(state):
    metrics = state["metrics"]
    confusion = tf.zeros((state["classes"], state["classes"]), dtype=tf.int32)
    for x_batch, y_batch in state["dataset"]:
        confusion += test_step(
            state["model"], state["loss_fn"], metrics, x_batch, y_batch
        )
    results = {
        "accuracy": metrics["accuracy"].result(),
        "mean_cross_entropy": metrics["loss"].result(),
        "confusion_matrix": confusion,
    }
    for metric in metrics.values():
        metric.reset_state()
    return results
