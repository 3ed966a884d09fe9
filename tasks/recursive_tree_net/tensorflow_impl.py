import tensorflow as tf


class TreeNet(tf.keras.Model):
    def __init__(self, width, classes, **kwargs):
        super().__init__(**kwargs)
        self.compose = tf.keras.layers.Dense(width, activation="tanh")
        self.head = tf.keras.layers.Dense(classes)

    def encode(self, node, leaves, left, right):
        if node < len(leaves):
            return leaves[node]
        child = node - len(leaves)
        pair = tf.concat(
            [
                self.encode(left[child], leaves, left, right),
                self.encode(right[child], leaves, left, right),
            ],
            axis=0,
        )
        return self.compose(pair[tf.newaxis])[0]

    def call(self, leaves, left, right):
        # Each tree has its own shape: the recursion follows it, one tree at a time.
        roots = [
            self.encode(2 * len(tree_leaves) - 2, tree_leaves, tree_left, tree_right)
            for tree_leaves, tree_left, tree_right in zip(leaves, left, right)
        ]
        return self.head(tf.stack(roots))


def setup(inputs, device):
    width, classes = inputs["w_head"].shape
    model = TreeNet(width, classes)
    # easeval: glue-begin
    model.compose.build((None, 2 * width))
    model.compose.set_weights([inputs["w_compose"], inputs["b_compose"]])
    model.head.build((None, width))
    model.head.set_weights([inputs["w_head"], inputs["b_head"]])
    x = tf.constant(inputs["x"])
    n_leaves = inputs["n_leaves"].tolist()
    leaves = [x[s, :n] for s, n in enumerate(n_leaves)]
    left = [inputs["left"][s, : n - 1].tolist() for s, n in enumerate(n_leaves)]
    right = [inputs["right"][s, : n - 1].tolist() for s, n in enumerate(n_leaves)]
    # easeval: glue-end
    return {
        "model": model,
        "leaves": leaves,
        "left": left,
        "right": right,
        "y": tf.constant(inputs["y"]),
        "loss_fn": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    }


def run(state):
    model = state["model"]
    with tf.GradientTape() as tape:
        # Keras takes only tensors as positional arguments: the child lists go by keyword.
        logits = model(state["leaves"], left=state["left"], right=state["right"])
        loss = state["loss_fn"](state["y"], logits)
    grad_w, grad_b = tape.gradient(loss, [model.compose.kernel, model.compose.bias])
    return {
        "logits": logits,
        "loss": loss,
        "grad_w_compose": grad_w,
        "grad_b_compose": grad_b,
    }
