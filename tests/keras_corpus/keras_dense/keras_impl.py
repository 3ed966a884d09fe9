import keras


def setup(inputs, device):
    model = keras.Sequential(
        [
            keras.Input(shape=(inputs["x"].shape[1],)),
            keras.layers.Dense(inputs["w1"].shape[1], activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {"model": model, "x": keras.ops.convert_to_tensor(inputs["x"])}


def run(state):
    return state["model"](state["x"])
