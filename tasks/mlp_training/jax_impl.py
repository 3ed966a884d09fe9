import jax
import jax.numpy as jnp

learning_rate = 0.05
batch_size = 16
epochs = 5


def init_mlp_params(layer_widths, key):
    params = []
    keys = jax.random.split(key, len(layer_widths) - 1)
    for n_in, n_out, layer_key in zip(layer_widths[:-1], layer_widths[1:], keys):
        params.append(
            dict(
                weights=jax.random.normal(layer_key, (n_in, n_out))
                * jnp.sqrt(2 / n_in),
                biases=jnp.ones(shape=(n_out,)),
            )
        )
    return params


def forward(params, x):
    *hidden, last = params
    for layer in hidden:
        x = jax.nn.relu(x @ layer["weights"] + layer["biases"])
    return x @ last["weights"] + last["biases"]


def loss_fn(params, x, y):
    return jnp.mean((forward(params, x) - y) ** 2)


@jax.jit
def update(params, x, y):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    # `grads` is a pytree with the same structure as `params`: the SGD update is one tree.map.
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), loss


def setup(inputs, device):
    x, y = inputs["x"], inputs["y"]
    params = init_mlp_params(
        [x.shape[1], inputs["w1"].shape[1], y.shape[1]], jax.random.key(0)
    )
    # easeval: glue-begin
    params = [
        dict(weights=jnp.asarray(inputs["w1"]), biases=jnp.asarray(inputs["b1"])),
        dict(weights=jnp.asarray(inputs["w2"]), biases=jnp.asarray(inputs["b2"])),
    ]
    # easeval: glue-end
    return {"params": params, "x": x, "y": y}


def run(state):
    params, x, y = state["params"], state["x"], state["y"]
    epoch_loss = []
    for _ in range(epochs):
        batch_losses = []
        for start in range(0, len(x), batch_size):
            params, loss = update(
                params, x[start : start + batch_size], y[start : start + batch_size]
            )
            batch_losses.append(loss)
        epoch_loss.append(jnp.mean(jnp.array(batch_losses)))
    # JAX arrays are immutable: training returns new parameters
    state["params"] = params
    return {"epoch_loss": epoch_loss, "predictions": forward(params, x)}
