import keras

learning_rate = 0.01
batch_size = 32
epochs = 3


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    base_model = keras.Sequential(
        [
            keras.Input(shape=(d_in,)),
            keras.layers.Dense(hidden),
            # PyTorch's epsilon
            keras.layers.BatchNormalization(epsilon=1e-5, name="batch_norm"),
            keras.layers.ReLU(),
        ],
        name="base_model",
    )
    # easeval: glue-begin
    base_model.set_weights(
        [
            inputs["w1"],
            inputs["b1"],
            inputs["gamma"],
            inputs["beta"],
            inputs["running_mean"],
            inputs["running_var"],
        ]
    )
    # easeval: glue-end
    # Freeze the base model: a BatchNormalization layer that is not trainable also runs in inference mode.
    base_model.trainable = False
    model_inputs = keras.Input(shape=(d_in,))
    # training=False as the guide passes it. In Keras 3 an explicit training= on the outer call (fit passes
    # training=True) overrides it; BatchNormalization runs in inference mode because it is not trainable.
    features = base_model(model_inputs, training=False)
    outputs = keras.layers.Dense(classes, name="head")(features)
    model = keras.Model(model_inputs, outputs)
    model.get_layer("head").set_weights([inputs["w2"], inputs["b2"]])  # easeval: glue
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=False,
    )
    return {
        "model": model,
        "base_model": base_model,
        "x": inputs["x"],
        "labels": inputs["labels"],
        "x_test": keras.ops.convert_to_tensor(inputs["x_test"]),
    }


def run(state):
    model, base_model = state["model"], state["base_model"]
    model.fit(
        state["x"],
        state["labels"],
        batch_size=batch_size,
        epochs=epochs,
        shuffle=False,
        verbose=0,
    )
    test_logits = model(state["x_test"], training=False)
    head, batch_norm = model.get_layer("head"), base_model.get_layer("batch_norm")
    return {
        "head_kernel": head.kernel,
        "head_bias": head.bias,
        "running_mean": batch_norm.moving_mean,
        "running_var": batch_norm.moving_variance,
        "test_logits": test_logits,
    }
