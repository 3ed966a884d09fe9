import tensorflow as tf


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden, activation="tanh"),
            tf.keras.layers.Dense(inputs["w2"].shape[1]),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    return {
        "model": model,
        "loss_fn": tf.keras.losses.MeanSquaredError(),
        "x": tf.constant(inputs["x"]),
        "y": tf.constant(inputs["y"]),
        "x_tangent": tf.constant(inputs["x_tangent"]),
        "param_tangents": [
            tf.constant(inputs[k])
            for k in ("w1_tangent", "b1_tangent", "w2_tangent", "b2_tangent")
        ],
    }


def run(state):
    model, loss_fn, x, y = state["model"], state["loss_fn"], state["x"], state["y"]
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=state["x_tangent"]) as acc:
        outputs = model(x)
    input_jvp = acc.jvp(outputs)

    # Keras 3 variables wrap a tf.Variable, which is what ForwardAccumulator watches: `.value`.
    variables = [v.value for v in model.trainable_variables]
    with tf.autodiff.ForwardAccumulator(
        primals=variables, tangents=state["param_tangents"]
    ) as acc:
        loss = loss_fn(y, model(x))
    param_jvp = acc.jvp(loss)
    return {
        "outputs": outputs,
        "input_jvp": input_jvp,
        "loss": loss,
        "param_jvp": param_jvp,
    }
