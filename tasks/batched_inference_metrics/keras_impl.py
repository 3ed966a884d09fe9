import keras

batch_size = 256


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
    # predict() of an uncompiled model turns XLA on by itself on a GPU
    model.compile(jit_compile=False)
    return {
        "model": model,
        "loss_fn": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "accuracy": keras.metrics.SparseCategoricalAccuracy(),
        "x": inputs["x"],
        "labels": keras.ops.convert_to_tensor(inputs["labels"]),
        "classes": classes,
    }


def run(state):
    labels, accuracy, classes = state["labels"], state["accuracy"], state["classes"]
    # One pass over the data in batches; the metrics are computed from the collected logits.
    logits = state["model"].predict(state["x"], batch_size=batch_size, verbose=0)
    accuracy.update_state(labels, logits)
    # rows: true class, columns: predicted class (Keras has no confusion-matrix op: count the pairs)
    predicted = keras.ops.argmax(logits, axis=1)
    confusion = keras.ops.reshape(
        keras.ops.bincount(
            keras.ops.add(labels * classes, predicted), minlength=classes * classes
        ),
        (classes, classes),
    )
    results = {
        "accuracy": accuracy.result(),
        "mean_cross_entropy": state["loss_fn"](labels, logits),
        "confusion_matrix": confusion,
    }
    accuracy.reset_state()
    return results
