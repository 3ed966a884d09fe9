import tensorflow as tf

dropout_rate = 0.5
# weight of the old running statistics (Keras' convention; PyTorch's 0.1 is 1 - this)
bn_momentum = 0.9


@tf.function
def forward(model, dropout, x, ones, training):
    # A Python bool: tf.function traces once for training=True and once for training=False.
    return model(x, training=training), dropout(ones, training=training)


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden),
            # PyTorch's epsilon
            tf.keras.layers.BatchNormalization(
                momentum=bn_momentum, epsilon=1e-5, name="batch_norm"
            ),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Dropout(dropout_rate, name="dropout"),
            tf.keras.layers.Dense(inputs["w2"].shape[1]),
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
    return {"model": model, "x": tf.constant(inputs["x"])}


def run(state):
    model, x = state["model"], state["x"]
    batch_norm, dropout = model.get_layer("batch_norm"), model.get_layer("dropout")
    ones = tf.ones((x.shape[0], batch_norm.gamma.shape[0]))
    # training=False: BatchNorm uses its moving statistics, Dropout is the identity
    eval_output, dropout_eval = forward(model, dropout, x, ones, training=False)
    # training=True: BatchNorm uses (and updates moving statistics from) the batch, Dropout drops
    train_output, dropout_train = forward(model, dropout, x, ones, training=True)
    return {
        "eval_output": eval_output,
        "train_output": train_output,
        "running_mean": batch_norm.moving_mean.numpy(),
        "running_var": batch_norm.moving_variance.numpy(),
        "dropout_eval": dropout_eval,
        "dropout_train": dropout_train,
    }
