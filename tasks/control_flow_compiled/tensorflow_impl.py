import tensorflow as tf

tolerance = 1e-4
max_steps = 1000


def power_iteration(a, v):
    v = v / tf.norm(v)
    av = tf.linalg.matvec(a, v)
    eigenvalue = tf.tensordot(v, av, axes=1)
    steps = 0
    while (
        tf.norm(av - eigenvalue * v) > tolerance * tf.abs(eigenvalue)
        and steps < max_steps
    ):
        v = av / tf.norm(av)
        av = tf.linalg.matvec(a, v)
        eigenvalue = tf.tensordot(v, av, axes=1)
        steps += 1
    # An eigenvector's sign is arbitrary: make its largest entry positive.
    if v[tf.argmax(tf.abs(v))] < 0:
        v = -v
    return eigenvalue, v, steps


def setup(inputs, device):
    return {"a": tf.constant(inputs["a"]), "v0": tf.constant(inputs["v0"])}


def run(state):
    eigenvalue, eigenvector, steps = power_iteration(state["a"], state["v0"])
    return {"eigenvalue": eigenvalue, "eigenvector": eigenvector, "steps": steps}
