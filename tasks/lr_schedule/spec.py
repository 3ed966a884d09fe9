"""SGD with momentum and a per-epoch step decay of the learning rate, written out in float64.

torch.optim.SGD and Keras' SGD define momentum differently once the learning rate changes (the
torch.optim.SGD docs say so): torch keeps a buffer of raw gradients and scales the step by the
current rate (v = mu v + g; p -= lr v), Keras keeps a buffer of already-scaled steps (v = mu v - lr g;
p += v). The two agree while the rate is constant and part after every decay, so no single exact
reference exists: `check` accepts the float64 trajectory of either documented rule, and nothing else.
"""

import numpy as np

LEARNING_RATE = 0.05
MOMENTUM = 0.9
STEP_SIZE = 2  # epochs between decays
GAMMA = 0.5
BATCH_SIZE = 16
EPOCHS = 6
RTOL = 1e-3
ATOL = 1e-5


def make_inputs(
    rng: np.random.Generator, n: int, d_in: int, hidden: int, d_out: int
) -> dict:
    x = rng.standard_normal((n, d_in), dtype=np.float32)
    true_w = rng.standard_normal((d_in, d_out), dtype=np.float32)
    y = np.sin(x @ true_w) + 0.1 * rng.standard_normal((n, d_out), dtype=np.float32)
    # Shared initial weights, drawn like the frameworks' default uniform(-1/sqrt(fan_in), +).
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x": x,
        "y": y.astype(np.float32),
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, d_out)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, d_out).astype(np.float32),
    }


def epoch_learning_rates() -> np.ndarray:
    """The rate used during each epoch: LEARNING_RATE * GAMMA ** (epoch // STEP_SIZE)."""
    return np.array(
        [LEARNING_RATE * GAMMA ** (epoch // STEP_SIZE) for epoch in range(EPOCHS)]
    )


def train(inputs: dict, momentum_rule: str) -> dict:
    """Float64 training run; momentum_rule is 'torch' (rate applied after the buffer) or 'keras'."""
    x, y = inputs["x"].astype(np.float64), inputs["y"].astype(np.float64)
    params = [inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")]
    velocity = [np.zeros_like(p) for p in params]
    rates = epoch_learning_rates()
    epoch_loss = []
    for lr in rates:
        batch_losses = []
        for start in range(0, len(x), BATCH_SIZE):
            xb, yb = x[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
            w1, b1, w2, b2 = params
            h_pre = xb @ w1 + b1
            h = np.maximum(h_pre, 0.0)
            err = h @ w2 + b2 - yb
            batch_losses.append(np.mean(err**2))
            d_pred = 2.0 * err / err.size
            d_h = (d_pred @ w2.T) * (h_pre > 0)
            grads = [xb.T @ d_h, d_h.sum(axis=0), h.T @ d_pred, d_pred.sum(axis=0)]
            for i, g in enumerate(grads):
                if momentum_rule == "torch":
                    # a zero buffer makes step 1 seed it with g, as torch does
                    velocity[i] = MOMENTUM * velocity[i] + g
                    params[i] = params[i] - lr * velocity[i]
                else:
                    velocity[i] = MOMENTUM * velocity[i] - lr * g
                    params[i] = params[i] + velocity[i]
        epoch_loss.append(np.mean(batch_losses))
    w1, b1, w2, b2 = params
    predictions = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    return {
        "epoch_loss": np.array(epoch_loss),
        "learning_rate": rates,
        "predictions": predictions,
    }


def _mismatch(output: dict, expected: dict) -> float:
    """Largest |out - ref| / (ATOL + RTOL |ref|) over the trajectory and the predictions (<= 1 passes)."""
    worst = 0.0
    for key in ("epoch_loss", "predictions"):
        out, ref = np.asarray(output[key], dtype=np.float64), expected[key]
        if out.shape != ref.shape or not np.all(np.isfinite(out)):
            return np.inf
        worst = max(
            worst, float(np.max(np.abs(out - ref) / (ATOL + RTOL * np.abs(ref))))
        )
    return worst


def check(output: dict, inputs: dict) -> list[str]:
    """Rates exact; losses and predictions within tolerance of one documented momentum rule."""
    if not isinstance(output, dict) or set(output) != {
        "epoch_loss",
        "learning_rate",
        "predictions",
    }:
        return [
            f"expected a dict with epoch_loss, learning_rate, predictions; got {type(output).__name__} "
            f"{sorted(output) if isinstance(output, dict) else ''}"
        ]
    failures = []
    rates = np.asarray(output["learning_rate"], dtype=np.float64)
    if rates.shape != (EPOCHS,) or not np.allclose(
        rates, epoch_learning_rates(), rtol=1e-6, atol=0.0
    ):
        failures.append(
            f"learning_rate: got {rates.tolist()}, expected {epoch_learning_rates().tolist()}"
        )
    ratios = {
        rule: _mismatch(output, train(inputs, rule)) for rule in ("torch", "keras")
    }
    if min(ratios.values()) > 1.0:
        failures.append(
            "epoch_loss/predictions match neither momentum rule within "
            f"rtol={RTOL:g}, atol={ATOL:g} (worst error / tolerance: "
            + ", ".join(f"{rule} {ratio:.3g}" for rule, ratio in ratios.items())
            + ")"
        )
    return failures
