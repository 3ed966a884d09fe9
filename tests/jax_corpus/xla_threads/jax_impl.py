import os

import jax.numpy as jnp


def setup(inputs, device):
    return jnp.asarray(inputs["x"])


def run(x):
    (x @ x).block_until_ready()  # the backend, and its thread pool, exist after the first op
    names = [open(f"/proc/self/task/{t}/comm").read() for t in os.listdir("/proc/self/task")]
    return {"xla_threads": sum("XLAEigen" in name for name in names)}
