"""Alternating GAN training with two SGD-with-momentum optimizers, written out in float64.

Generator G: z -> Linear -> ReLU -> Linear. Discriminator D: x -> Linear -> LeakyReLU(0.2) -> Linear,
one logit. For each batch (real examples and their latent vectors, in a fixed order):
  1. discriminator step: loss BCE(D(real), 1) + BCE(D(G(z)), 0), gradients for D only, SGD step;
  2. generator step: loss BCE(D(G(z)), 1) through the *updated* D, gradients for G only, SGD step.
BCE is binary cross-entropy on logits, averaged over the batch. SGD with momentum follows
torch.optim.SGD (velocity = momentum * velocity + gradient; Keras's form gives the same update).
"""

import numpy as np

LR_D = 0.01
LR_G = 0.02
MOMENTUM = 0.5
NEGATIVE_SLOPE = 0.2
BATCH_SIZE = 16
EPOCHS = 3


def make_inputs(
    rng: np.random.Generator, n: int, d_x: int, d_z: int, hidden: int, n_eval: int
) -> dict:
    # "Real" data: a Gaussian with a shifted mean and a skewed covariance.
    mixing = rng.standard_normal((d_x, d_x)) / np.sqrt(d_x)
    real = 2.0 + rng.standard_normal((n, d_x)) @ mixing

    def uniform(shape, fan_in):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {
        "real": real.astype(np.float32),
        "z": rng.standard_normal((n, d_z), dtype=np.float32),
        "z_eval": rng.standard_normal((n_eval, d_z), dtype=np.float32),
        # Shared initial weights, (fan_in, fan_out) kernels, drawn like the frameworks' defaults.
        "g_w1": uniform((d_z, hidden), d_z),
        "g_b1": uniform(hidden, d_z),
        "g_w2": uniform((hidden, d_x), hidden),
        "g_b2": uniform(d_x, hidden),
        "d_w1": uniform((d_x, hidden), d_x),
        "d_b1": uniform(hidden, d_x),
        "d_w2": uniform((hidden, 1), hidden),
        "d_b2": uniform(1, hidden),
    }


class _SGD:
    def __init__(self, params: list, lr: float):
        self.lr = lr
        self.velocity = [np.zeros_like(p) for p in params]

    def step(self, params: list, grads: list) -> list:
        self.velocity = [MOMENTUM * v + g for v, g in zip(self.velocity, grads)]
        return [p - self.lr * v for p, v in zip(params, self.velocity)]


def _generator(g: list, z: np.ndarray) -> tuple[np.ndarray, tuple]:
    w1, b1, w2, b2 = g
    h_pre = z @ w1 + b1
    h = np.maximum(h_pre, 0.0)
    return h @ w2 + b2, (z, h_pre, h)


def _discriminator(d: list, x: np.ndarray) -> tuple[np.ndarray, tuple]:
    w1, b1, w2, b2 = d
    h_pre = x @ w1 + b1
    h = np.where(h_pre > 0, h_pre, NEGATIVE_SLOPE * h_pre)
    return h @ w2 + b2, (x, h_pre, h)


def _bce_logits(s: np.ndarray, target: float) -> tuple[float, np.ndarray]:
    """Mean binary cross-entropy of logits `s` against a constant label, and its gradient."""
    loss = np.mean(np.maximum(s, 0) - s * target + np.log1p(np.exp(-np.abs(s))))
    return float(loss), (1 / (1 + np.exp(-s)) - target) / s.size


def _discriminator_backward(
    d: list, cache: tuple, d_logit: np.ndarray
) -> tuple[list, np.ndarray]:
    """Gradients of D's parameters and of its input, given the gradient of its logits."""
    w1, _, w2, _ = d
    x, h_pre, h = cache
    d_h = (d_logit @ w2.T) * np.where(h_pre > 0, 1.0, NEGATIVE_SLOPE)
    return [x.T @ d_h, d_h.sum(axis=0), h.T @ d_logit, d_logit.sum(axis=0)], d_h @ w1.T


def _generator_backward(g: list, cache: tuple, d_out: np.ndarray) -> list:
    _, _, w2, _ = g
    z, h_pre, h = cache
    d_h = (d_out @ w2.T) * (h_pre > 0)
    return [z.T @ d_h, d_h.sum(axis=0), h.T @ d_out, d_out.sum(axis=0)]


def reference(inputs: dict) -> dict:
    p = {k: v.astype(np.float64) for k, v in inputs.items()}
    g = [p[k] for k in ("g_w1", "g_b1", "g_w2", "g_b2")]
    d = [p[k] for k in ("d_w1", "d_b1", "d_w2", "d_b2")]
    opt_g, opt_d = _SGD(g, LR_G), _SGD(d, LR_D)
    d_history, g_history = [], []
    for _ in range(EPOCHS):
        d_losses, g_losses = [], []
        for start in range(0, len(p["real"]), BATCH_SIZE):
            real, z = (
                p["real"][start : start + BATCH_SIZE],
                p["z"][start : start + BATCH_SIZE],
            )
            fake, g_cache = _generator(g, z)
            # Discriminator step: real labelled 1, generated labelled 0; G is held fixed.
            real_logit, real_cache = _discriminator(d, real)
            fake_logit, fake_cache = _discriminator(d, fake)
            loss_real, d_real = _bce_logits(real_logit, 1.0)
            loss_fake, d_fake = _bce_logits(fake_logit, 0.0)
            grads_real, _ = _discriminator_backward(d, real_cache, d_real)
            grads_fake, _ = _discriminator_backward(d, fake_cache, d_fake)
            d = opt_d.step(d, [a + b for a, b in zip(grads_real, grads_fake)])
            d_losses.append(loss_real + loss_fake)
            # Generator step through the updated discriminator, generated examples labelled 1.
            fake_logit, fake_cache = _discriminator(d, fake)
            loss_g, d_logit = _bce_logits(fake_logit, 1.0)
            _, d_fake_input = _discriminator_backward(d, fake_cache, d_logit)
            g = opt_g.step(g, _generator_backward(g, g_cache, d_fake_input))
            g_losses.append(loss_g)
        d_history.append(np.mean(d_losses))
        g_history.append(np.mean(g_losses))
    samples, _ = _generator(g, p["z_eval"])
    return {
        "d_loss": np.array(d_history),
        "g_loss": np.array(g_history),
        "samples": samples,
    }
