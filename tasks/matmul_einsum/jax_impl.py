import jax.numpy as jnp


def setup(inputs, device):
    return {name: jnp.asarray(array) for name, array in inputs.items()}


def run(t):
    product = t["a"] @ t["b"]
    bilinear = jnp.einsum("bi,ij,bj->b", t["x"], t["w"], t["y"])
    return {"product": product, "bilinear": bilinear}
