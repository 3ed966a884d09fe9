import tensorflow as tf

max_depth = 100


class DynamicDepthNet(tf.keras.Model):
    def __init__(self, width, classes, threshold, **kwargs):
        super().__init__(**kwargs)
        self.block = tf.keras.layers.Dense(width, activation="tanh")
        self.head = tf.keras.layers.Dense(classes)
        self.threshold = threshold

    def call(self, x):
        # Apply the same residual block until the activations are small: the depth depends on the data.
        h, depth = x, 0
        while tf.reduce_mean(tf.norm(h, axis=1)) > self.threshold and depth < max_depth:
            h = h + self.block(h)
            depth += 1
        return self.head(h), depth


def setup(inputs, device):
    width, classes = inputs["w_head"].shape
    model = DynamicDepthNet(width, classes, float(inputs["threshold"]))
    # easeval: glue-begin
    model.block.build((None, width))
    model.head.build((None, width))
    model.block.set_weights([inputs["w_block"], inputs["b_block"]])
    model.head.set_weights([inputs["w_head"], inputs["b_head"]])
    # easeval: glue-end
    return {"model": model, "x": tf.constant(inputs["x"])}


def run(state):
    logits, depth = state["model"](state["x"])
    return {"logits": logits, "depth": depth}
