import keras

learning_rate = 0.1
ema_momentum = 0.9
batch_size = 16
epochs = 5
eval_batch_size = 64


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    # The optimizer keeps the moving average; fit() writes it into the model's weights when it ends.
    optimizer = keras.optimizers.SGD(
        learning_rate=learning_rate, use_ema=True, ema_momentum=ema_momentum
    )
    model.compile(
        optimizer=optimizer,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=False,
    )
    return {
        "model": model,
        # easeval: glue-begin
        "initial_weights": [inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]],
        # easeval: glue-end
        "train": (inputs["x_train"], inputs["y_train"]),
        "test": (inputs["x_test"], inputs["y_test"]),
    }


def run(state):
    model = state["model"]
    # easeval: glue-begin
    model.set_weights(state["initial_weights"])
    # iteration 0 copies the weights into the average, as on a fresh optimizer
    model.optimizer.iterations.assign(0)
    # easeval: glue-end
    x_train, y_train = state["train"]
    history = model.fit(
        x_train, y_train, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0
    )
    # After fit() the model holds the EMA weights (optimizer.finalize_variable_values): evaluate those.
    x_test, y_test = state["test"]
    eval_loss = model.evaluate(x_test, y_test, batch_size=eval_batch_size, verbose=0)
    return {
        "epoch_loss": history.history["loss"],
        "ema_weights": model.weights,
        "eval_loss": eval_loss,
    }
