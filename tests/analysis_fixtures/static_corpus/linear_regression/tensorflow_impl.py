import tensorflow as tf


def fit(x, y, steps=100):
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    model.fit(x, y, epochs=steps, verbose=0)
    return model
