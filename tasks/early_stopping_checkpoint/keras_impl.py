import os
import tempfile

import keras

learning_rate = 0.2
batch_size = 16
max_epochs = 100
patience = 3


def setup(inputs, device):
    model = keras.Sequential(
        [
            keras.Input(shape=(inputs["x_train"].shape[1],)),
            keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
            keras.layers.Dense(inputs["y_train"].shape[1]),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss="mean_squared_error",
        jit_compile=False,
    )
    return {
        "model": model,
        # easeval: glue-begin
        "initial_weights": [inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]],
        # easeval: glue-end
        "train": (inputs["x_train"], inputs["y_train"]),
        "val": (inputs["x_val"], inputs["y_val"]),
        "checkpoint_dir": tempfile.mkdtemp(),
    }


def run(state):
    model = state["model"]
    model.set_weights(state["initial_weights"])  # easeval: glue
    checkpoint_path = os.path.join(state["checkpoint_dir"], "best_model.weights.h5")
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience
    )
    checkpoint = keras.callbacks.ModelCheckpoint(
        checkpoint_path, monitor="val_loss", save_best_only=True, save_weights_only=True
    )
    x_train, y_train = state["train"]
    history = model.fit(
        x_train,
        y_train,
        batch_size=batch_size,
        epochs=max_epochs,
        shuffle=False,
        validation_data=state["val"],
        callbacks=[early_stopping, checkpoint],
        verbose=0,
    )
    model.load_weights(checkpoint_path)
    predictions = model(state["val"][0], training=False)
    return {
        "stopped_epoch": early_stopping.stopped_epoch,
        "val_loss": history.history["val_loss"],
        "predictions": predictions,
    }
