import keras

learning_rate = 0.05
penalty = 0.1
batch_size = 16
epochs = 5


class WeightedMSEWithPenalty(keras.losses.Loss):
    """Per-output weighted squared error plus a penalty on the size of the predictions."""

    def __init__(self, output_weights, penalty, name="weighted_mse_with_penalty"):
        super().__init__(name=name)
        self.output_weights = keras.ops.convert_to_tensor(output_weights)
        self.penalty = penalty

    def call(self, y_true, y_pred):
        weighted_mse = keras.ops.mean(
            self.output_weights * keras.ops.square(y_pred - y_true), axis=-1
        )
        return weighted_mse + self.penalty * keras.ops.mean(
            keras.ops.square(y_pred), axis=-1
        )


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
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss=WeightedMSEWithPenalty(inputs["loss_weights"], penalty),
        jit_compile=False,
    )
    return {"model": model, "x": x, "y": y}


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
    predictions = model(state["x"], training=False)
    return {"epoch_loss": history.history["loss"], "predictions": predictions}
