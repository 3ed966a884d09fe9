import keras

learning_rate = 0.05
momentum = 0.9
micro_batch_size = 8
accumulation_steps = 4
epochs = 3


def setup(inputs, device):
    x, y = inputs["x"], inputs["y"]
    model = keras.Sequential(
        [
            keras.Input(shape=(x.shape[1],)),
            keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
            keras.layers.Dense(y.shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    # The optimizer averages the gradients of accumulation_steps batches and then steps once.
    optimizer = keras.optimizers.SGD(
        learning_rate=learning_rate,
        momentum=momentum,
        gradient_accumulation_steps=accumulation_steps,
    )
    model.compile(optimizer=optimizer, loss="mean_squared_error", jit_compile=False)
    return {"model": model, "x": x, "y": y}


def run(state):
    model = state["model"]
    history = model.fit(
        state["x"],
        state["y"],
        batch_size=micro_batch_size,
        epochs=epochs,
        shuffle=False,
        verbose=0,
    )
    predictions = model(state["x"], training=False)
    return {"epoch_loss": history.history["loss"], "predictions": predictions}
