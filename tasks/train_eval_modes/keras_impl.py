import keras

dropout_rate = 0.5
# weight of the old running statistics (Keras' convention; PyTorch's 0.1 is 1 - this)
bn_momentum = 0.9


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden),
            # PyTorch's epsilon
            keras.layers.BatchNormalization(
                momentum=bn_momentum, epsilon=1e-5, name="batch_norm"
            ),
            keras.layers.ReLU(),
            keras.layers.Dropout(dropout_rate, name="dropout"),
            keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights(
        [
            inputs["w1"],
            inputs["b1"],
            inputs["gamma"],
            inputs["beta"],
            inputs["running_mean"],
            inputs["running_var"],
            inputs["w2"],
            inputs["b2"],
        ]
    )
    # easeval: glue-end
    return {"model": model, "x": keras.ops.convert_to_tensor(inputs["x"])}


def run(state):
    model, x = state["model"], state["x"]
    batch_norm, dropout = model.get_layer("batch_norm"), model.get_layer("dropout")
    ones = keras.ops.ones((x.shape[0], batch_norm.gamma.shape[0]))
    # training=False: BatchNorm uses its moving statistics, Dropout is the identity
    eval_output = model(x, training=False)
    dropout_eval = dropout(ones, training=False)
    # training=True: BatchNorm uses (and updates moving statistics from) the batch, Dropout drops
    train_output = model(x, training=True)
    dropout_train = dropout(ones, training=True)
    return {
        "eval_output": eval_output,
        "train_output": train_output,
        "running_mean": keras.ops.convert_to_numpy(batch_norm.moving_mean),
        "running_var": keras.ops.convert_to_numpy(batch_norm.moving_variance),
        "dropout_eval": dropout_eval,
        "dropout_train": dropout_train,
    }
