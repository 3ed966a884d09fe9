import tensorflow as tf


def setup(inputs, device):
    _, height, width, c_in = inputs["images"].shape
    c1 = inputs["conv1_kernel"].shape[3]
    c2, classes = inputs["dense_kernel"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(height, width, c_in)),
            tf.keras.layers.Conv2D(c1, 3, padding="same", activation="relu"),
            tf.keras.layers.MaxPooling2D(2),
            tf.keras.layers.Conv2D(c2, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(classes),
        ]
    )
    # easeval: glue-begin
    model.set_weights(
        [
            inputs["conv1_kernel"],
            inputs["conv1_bias"],
            inputs["conv2_kernel"],
            inputs["conv2_bias"],
            inputs["dense_kernel"],
            inputs["dense_bias"],
        ]
    )
    # easeval: glue-end
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return {
        "model": model,
        "images": tf.constant(inputs["images"]),
        "labels": tf.constant(inputs["labels"]),
        "loss_fn": loss_fn,
    }


def run(state):
    images = state["images"]
    with tf.GradientTape() as tape:
        tape.watch(images)  # a constant, not a variable: ask the tape to track it
        logits = state["model"](images)
        loss = state["loss_fn"](state["labels"], logits)
    input_grad = tape.gradient(loss, images)
    return {"logits": logits, "loss": loss, "input_grad": input_grad}
