import keras


class ResidualBlock(keras.layers.Layer):
    def __init__(self, width, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(width, activation="relu")
        self.linear = keras.layers.Dense(width)

    def call(self, h, return_activations=False):
        inner = self.inner(h)
        output = keras.ops.relu(h + self.linear(inner))
        if return_activations:
            return output, {"block_inner": inner, "block": output}
        return output


class ResidualMLP(keras.Model):
    def __init__(self, hidden, classes, **kwargs):
        super().__init__(**kwargs)
        self.stem = keras.layers.Dense(hidden, activation="relu")
        self.block = ResidualBlock(hidden)
        self.head = keras.layers.Dense(classes)

    # A subclassed model keeps no graph of its layers (layer.output is undefined), so the Keras
    # feature-extraction model cannot be built: the call itself has to hand the activations out.
    def call(self, x, return_activations=False):
        stem = self.stem(x)
        if not return_activations:
            return self.head(self.block(stem))
        block, activations = self.block(stem, return_activations=True)
        return self.head(block), {"stem": stem, **activations}


def setup(inputs, device):
    hidden = inputs["w_stem"].shape[1]
    model = ResidualMLP(hidden, inputs["w_head"].shape[1])
    x = keras.ops.convert_to_tensor(inputs["x"])
    model(x)  # builds the weights
    # easeval: glue-begin
    for layer, name in (
        (model.stem, "stem"),
        (model.block.inner, "inner"),
        (model.block.linear, "linear"),
        (model.head, "head"),
    ):
        layer.set_weights([inputs["w_" + name], inputs["b_" + name]])
    # easeval: glue-end
    return {"model": model, "x": x}


def run(state):
    logits, activations = state["model"](state["x"], return_activations=True)
    return {**activations, "logits": logits}
