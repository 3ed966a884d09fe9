import keras

body_lr = 0.01
head_lr = 0.1
batch_size = 16
epochs = 3


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden, activation="relu", name="frozen"),
            keras.layers.Dense(hidden, activation="relu", name="body"),
            keras.layers.Dense(inputs["y"].shape[1], name="head"),
        ],
        name="mlp",
    )
    # easeval: glue-begin
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2", "w3", "b3")])
    # easeval: glue-end
    model.get_layer("frozen").trainable = False
    # One optimizer per parameter group: the head's variables (paths "mlp/head/...") get their own rate.
    optimizer = keras.optimizers.MultiOptimizer(
        keras.optimizers.OptimizerMap(
            default_optimizer=keras.optimizers.SGD(learning_rate=body_lr),
            optimizer_map={"mlp/head/.*": keras.optimizers.SGD(learning_rate=head_lr)},
        )
    )
    model.compile(optimizer=optimizer, loss="mean_squared_error", jit_compile=False)
    return {"model": model, "x": inputs["x"], "y": inputs["y"]}


def run(state):
    model = state["model"]
    history = model.fit(
        state["x"],
        state["y"],
        batch_size=batch_size,
        epochs=epochs,
        shuffle=False,
        verbose=0,
    )
    return {"epoch_loss": history.history["loss"], "weights": model.weights}
