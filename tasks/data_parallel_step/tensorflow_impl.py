import tensorflow as tf

replicas = 2
learning_rate = 0.05
global_batch_size = 32
epochs = 2


def setup(inputs, device):
    if device != "cpu":
        raise NotImplementedError("written for 2 logical CPU devices")
    # Two logical devices on the one CPU; only possible before TensorFlow's runtime starts.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
    )
    strategy = tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(replicas)])
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.Input(shape=(inputs["x"].shape[1],)),
                tf.keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
                tf.keras.layers.Dense(inputs["y"].shape[1]),
            ]
        )
        model.compile(
            optimizer=tf.keras.optimizers.SGD(learning_rate=learning_rate),
            loss="mean_squared_error",
            jit_compile=False,
        )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    # fit splits every global batch between the replicas.
    dataset = tf.data.Dataset.from_tensor_slices((inputs["x"], inputs["y"])).batch(
        global_batch_size
    )
    return {"model": model, "dataset": dataset}


def run(state):
    model = state["model"]
    history = model.fit(state["dataset"], epochs=epochs, verbose=0)
    return {"epoch_loss": history.history["loss"], "weights": model.trainable_weights}
