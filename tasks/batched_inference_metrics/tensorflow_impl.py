import tensorflow as tf

batch_size = 256


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(d_in,)),
        tf.keras.layers.Dense(hidden, activation="relu"),
        tf.keras.layers.Dense(classes),
    ])
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])  # easeval: glue
    model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return {"model": model, "x": inputs["x"], "labels": inputs["labels"], "classes": classes}


def run(state):
    model, x, labels = state["model"], state["x"], state["labels"]
    results = model.evaluate(x, labels, batch_size=batch_size, verbose=0, return_dict=True)
    logits = model.predict(x, batch_size=batch_size, verbose=0)
    # rows: true class, columns: predicted class
    confusion = tf.math.confusion_matrix(labels, tf.argmax(logits, axis=1), num_classes=state["classes"])
    return {"accuracy": results["accuracy"], "mean_cross_entropy": results["loss"], "confusion_matrix": confusion}
