import keras
import tensorflow as tf


def setup(inputs, device):
    model = keras.Sequential([keras.Input(shape=(inputs["x"].shape[1],)), keras.layers.Dense(1)])
    # easeval: glue-begin
    model.layers[0].set_weights([inputs["w0"], inputs["b0"]])
    # easeval: glue-end
    x = tf.constant(inputs["x"])
    y = tf.reshape(tf.constant(inputs["y"]), (-1, 1))
    return {"model": model, "x": x, "y": y}


def run(state):
    model, x, y = state["model"], state["x"], state["y"]
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    loss_fn = keras.losses.MeanSquaredError()
    for _ in range(5):
        with tf.GradientTape() as tape:
            prediction = model(x, training=True)
            loss = loss_fn(y, prediction)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    w, b = model.layers[0].get_weights()
    return {"w": w, "b": b}
