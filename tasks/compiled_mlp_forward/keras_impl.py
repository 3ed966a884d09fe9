import keras


def forward_and_loss(model, loss_fn, x, y):
    logits = model(x, training=False)
    return logits, loss_fn(y, logits)


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(inputs["w3"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2", "w3", "b3")])
    # easeval: glue-end
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return {
        "model": model,
        "loss_fn": loss_fn,
        "x": keras.ops.convert_to_tensor(inputs["x"]),
        "y": keras.ops.convert_to_tensor(inputs["y"]),
    }


def run(state):
    logits, loss = forward_and_loss(
        state["model"], state["loss_fn"], state["x"], state["y"]
    )
    return {"logits": logits, "loss": loss}
