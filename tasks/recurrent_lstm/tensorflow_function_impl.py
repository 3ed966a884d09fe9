import tensorflow as tf


def setup(inputs, device):
    _, steps, features = inputs["x"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(steps, features)),
            tf.keras.layers.LSTM(
                inputs["w_h"].shape[0]
            ),  # returns the last hidden state
            tf.keras.layers.Dense(inputs["head_w"].shape[1]),
        ]
    )
    # easeval: glue-begin
    # Keras has one LSTM bias
    model.set_weights(
        [
            inputs["w_x"],
            inputs["w_h"],
            inputs["b_x"] + inputs["b_h"],
            inputs["head_w"],
            inputs["head_b"],
        ]
    )
    # easeval: glue-end
    return {
        "model": model,
        "x": tf.constant(inputs["x"]),
        "y": tf.constant(inputs["y"]),
        "loss_fn": tf.keras.losses.MeanSquaredError(),
    }


@tf.function
def forward_and_input_grad(model, loss_fn, x, y):
    with tf.GradientTape() as tape:
        tape.watch(x)  # a constant, not a variable: ask the tape to track it
        prediction = model(x)
        loss = loss_fn(y, prediction)
    return prediction, loss, tape.gradient(loss, x)


def run(state):
    prediction, loss, input_grad = forward_and_input_grad(
        state["model"], state["loss_fn"], state["x"], state["y"]
    )
    return {"prediction": prediction, "loss": loss, "input_grad": input_grad}
