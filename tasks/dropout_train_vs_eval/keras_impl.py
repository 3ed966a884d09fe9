import keras


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    d_out = inputs["w2"].shape[1]
    x = keras.Input(shape=(d_in,))
    h = keras.layers.Dense(hidden, activation="relu")(x)
    dropped = keras.layers.Dropout(0.25)(h)
    outputs = keras.layers.Dense(d_out)(dropped)
    model = keras.Model(inputs=x, outputs=[dropped, outputs])
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return model, keras.ops.convert_to_tensor(inputs["x"])


def run(state):
    model, x = state
    _, eval_output = model(x, training=False)
    train_hidden, train_output = model(x, training=True)
    return {
        "eval_output": eval_output,
        "train_output": train_output,
        "train_hidden": train_hidden,
    }
