import tensorflow as tf

l2 = 0.01


def predict(weight, bias, x):
    return tf.tanh(tf.linalg.matvec(weight, x) + bias)


def loss(a, v):
    return tf.reduce_mean(
        tf.math.softplus(tf.linalg.matvec(a, v))
    ) + 0.5 * l2 * tf.reduce_sum(v * v)


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    x, v = t["x"], t["v"]
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = predict(t["w"], t["b"], x)
    jacobian = tape.jacobian(y, x)

    with tf.GradientTape() as outer_tape:
        outer_tape.watch(v)
        with tf.GradientTape() as inner_tape:
            inner_tape.watch(v)
            value = loss(t["a"], v)
        grad = inner_tape.gradient(value, v)
    hessian = outer_tape.jacobian(grad, v)
    return {"jacobian": jacobian, "hessian": hessian}
