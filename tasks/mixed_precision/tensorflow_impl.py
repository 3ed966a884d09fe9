import tensorflow as tf

learning_rate = 0.1


def setup(inputs, device):
    # CPU runs bfloat16; GPUs run float16, which needs loss scaling.
    policy = tf.keras.mixed_precision.Policy(
        "mixed_float16" if device == "cuda" else "mixed_bfloat16"
    )
    tf.keras.mixed_precision.set_global_policy(policy)
    d_in, hidden = inputs["w1"].shape
    model_inputs = tf.keras.Input(shape=(d_in,))
    h = tf.keras.layers.Dense(hidden, activation="relu")(model_inputs)
    logits = tf.keras.layers.Dense(inputs["w2"].shape[1])(h)
    # The model's outputs stay in float32 for numeric stability, as the mixed precision guide advises.
    outputs = tf.keras.layers.Activation("linear", dtype="float32")(logits)
    model = tf.keras.Model(model_inputs, outputs)
    # easeval: glue-begin
    model.set_weights([inputs["w1"], inputs["b1"], inputs["w2"], inputs["b2"]])
    # easeval: glue-end
    optimizer = tf.keras.optimizers.SGD(learning_rate)
    loss_scaling = policy.compute_dtype == "float16"
    if loss_scaling:
        optimizer = tf.keras.mixed_precision.LossScaleOptimizer(optimizer)
    # creates the loss scale variable read in run()
    optimizer.build(model.trainable_variables)
    return {
        "model": model,
        "loss_fn": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "optimizer": optimizer,
        "loss_scaling": loss_scaling,
        "reduced_precision": logits.dtype == policy.compute_dtype,
        "x": tf.constant(inputs["x"]),
        "y": tf.constant(inputs["y"]),
    }


def run(state):
    model, optimizer = state["model"], state["optimizer"]
    with tf.GradientTape() as tape:
        predictions = model(state["x"], training=True)
        loss = state["loss_fn"](state["y"], predictions)
        scaled_loss = optimizer.scale_loss(loss)
    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)
    # Keras 3 offers no unscaling helper (a LossScaleOptimizer unscales inside apply()).
    loss_scale = optimizer.dynamic_scale if state["loss_scaling"] else 1.0
    w1, b1, w2, b2 = (g / loss_scale for g in scaled_gradients)
    optimizer.apply(scaled_gradients, model.trainable_variables)
    return {
        "loss": loss,
        "gradients": {"w1": w1, "b1": b1, "w2": w2, "b2": b2},
        "reduced_precision": state["reduced_precision"],
    }
