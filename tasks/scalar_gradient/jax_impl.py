import jax
import jax.numpy as jnp


def loss(w, x, l2):
    return jnp.mean(jnp.tanh(x @ w) ** 2) + 0.5 * l2 * jnp.sum(w**2)


def setup(inputs, device):
    return {
        "x": jnp.asarray(inputs["x"]),
        "w": jnp.asarray(inputs["w"]),
        "l2": float(inputs["l2"]),
    }


def run(state):
    value, grad = jax.value_and_grad(loss)(state["w"], state["x"], state["l2"])
    return {"value": value, "grad": grad}
