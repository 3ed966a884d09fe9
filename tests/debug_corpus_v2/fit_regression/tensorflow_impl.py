import keras


def setup(inputs, device):
    model = keras.Sequential([keras.Input(shape=(inputs["x"].shape[1],)), keras.layers.Dense(1)])
    # easeval: glue-begin
    model.layers[0].set_weights([inputs["w0"], inputs["b0"]])
    # easeval: glue-end
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    return {"model": model, "x": inputs["x"], "y": inputs["y"].reshape(-1, 1)}


def run(state):
    model, x, y = state["model"], state["x"], state["y"]
    model.fit(x, y, batch_size=len(x), epochs=5, shuffle=False, verbose=0)
    w, b = model.layers[0].get_weights()
    return {"w": w, "b": b}
