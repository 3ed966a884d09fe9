import keras


class EncoderLayer(keras.layers.Layer):
    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.mha = keras.layers.MultiHeadAttention(
            num_heads=num_heads, key_dim=d_model // num_heads
        )
        self.add = keras.layers.Add()
        # PyTorch's default epsilon
        self.layernorm1 = keras.layers.LayerNormalization(epsilon=1e-5)
        self.ffn = keras.Sequential(
            [keras.layers.Dense(d_ff, activation="relu"), keras.layers.Dense(d_model)]
        )
        self.layernorm2 = keras.layers.LayerNormalization(epsilon=1e-5)

    def call(self, x):
        attn_output = self.mha(query=x, value=x, key=x)
        x = self.layernorm1(self.add([x, attn_output]))
        return self.layernorm2(self.add([x, self.ffn(x)]))


def setup(inputs, device):
    _, _, d_model = inputs["x"].shape
    heads = int(inputs["heads"])
    x = keras.ops.convert_to_tensor(inputs["x"])
    layer = EncoderLayer(d_model, heads, inputs["ff1_w"].shape[1])
    # easeval: glue-begin
    layer(x)  # the first call builds the weights, so that they can be set
    # per-head layouts
    head_kernel, head_bias = (
        (d_model, heads, d_model // heads),
        (heads, d_model // heads),
    )
    layer.mha.set_weights(
        [
            inputs["wq"].reshape(head_kernel),
            inputs["bq"].reshape(head_bias),
            inputs["wk"].reshape(head_kernel),
            inputs["bk"].reshape(head_bias),
            inputs["wv"].reshape(head_kernel),
            inputs["bv"].reshape(head_bias),
            inputs["wo"].reshape(heads, d_model // heads, d_model),
            inputs["bo"],
        ]
    )
    layer.layernorm1.set_weights([inputs["ln1_gamma"], inputs["ln1_beta"]])
    layer.ffn.set_weights(
        [inputs["ff1_w"], inputs["ff1_b"], inputs["ff2_w"], inputs["ff2_b"]]
    )
    layer.layernorm2.set_weights([inputs["ln2_gamma"], inputs["ln2_beta"]])
    # easeval: glue-end
    return {"layer": layer, "x": x}


def run(state):
    return state["layer"](state["x"])
