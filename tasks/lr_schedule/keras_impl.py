import keras

learning_rate = 0.05
momentum = 0.9
step_size = 2
gamma = 0.5
batch_size = 16
epochs = 6


def step_decay(epoch):
    return learning_rate * gamma ** (epoch // step_size)


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
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum),
        loss="mean_squared_error",
        jit_compile=False,
    )
    return {"model": model, "x": x, "y": y}


def run(state):
    model = state["model"]
    lr_scheduler = keras.callbacks.LearningRateScheduler(step_decay)
    history = model.fit(
        state["x"],
        state["y"],
        batch_size=batch_size,
        epochs=epochs,
        shuffle=False,
        callbacks=[lr_scheduler],
        verbose=0,
    )
    predictions = model(state["x"], training=False)
    return {
        "epoch_loss": history.history["loss"],
        "learning_rate": history.history["learning_rate"],
        "predictions": predictions,
    }
