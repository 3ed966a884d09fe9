import tensorflow as tf


def setup(inputs, device):
    depth = sum(1 for key in inputs if key.startswith("w"))
    model = tf.keras.Sequential([tf.keras.Input(shape=(inputs["x"].shape[1],))])
    for l in range(depth):
        model.add(tf.keras.layers.Dense(inputs[f"w{l}"].shape[1]))
        if l < depth - 1:
            model.add(tf.keras.layers.Activation("tanh"))
    # easeval: glue-begin
    model.set_weights(
        [inputs[f"{kind}{l}"] for l in range(depth) for kind in ("w", "b")]
    )
    # easeval: glue-end
    return {
        "model": model,
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "x": tf.constant(inputs["x"]),
        "y": tf.constant(inputs["y"]),
    }


def run(state):
    model = state["model"]
    dense_layers = [
        layer for layer in model.layers if isinstance(layer, tf.keras.layers.Dense)
    ]
    # Run the layers one by one inside the tape, keeping each dense layer's output to differentiate.
    with tf.GradientTape() as tape:
        x, dense_outputs = state["x"], []
        for layer in model.layers:
            x = layer(x)
            if isinstance(layer, tf.keras.layers.Dense):
                dense_outputs.append(x)
        loss = state["loss_fn"](state["y"], x)
    kernels = [layer.kernel for layer in dense_layers]
    kernel_grads, output_grads = tape.gradient(loss, [kernels, dense_outputs])
    return {
        "loss": loss,
        "weight_grad_norms": [tf.norm(grad) for grad in kernel_grads],
        "output_grad_norms": [tf.norm(grad) for grad in output_grads],
    }
