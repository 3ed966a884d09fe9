"""SGD training of a small MLP classifier with an exponential moving average (EMA) of its weights,
then evaluation of the EMA weights on a held-out set, in float64.

Linear -> ReLU -> Linear with softmax cross-entropy, plain mini-batch SGD. After every optimizer step
t = 1, 2, ... (theta_t: the weights after step t) the average is

    ema_1 = theta_1                                  (the first update copies: no average with theta_0)
    ema_t = DECAY * ema_{t-1} + (1 - DECAY) * theta_t

which is both torch.optim.swa_utils.AveragedModel with get_ema_multi_avg_fn(DECAY) when
update_parameters() is called after each optimizer.step() (n_averaged == 0 copies), and a Keras
optimizer with use_ema=True, ema_momentum=DECAY (the average is updated after the variables, and on
iteration 0 its momentum is multiplied by 0, so it takes the new weights).
"""

import numpy as np

LEARNING_RATE = 0.1
DECAY = 0.9  # weight of the old average (PyTorch's decay == Keras' ema_momentum)
BATCH_SIZE = 16
EPOCHS = 5
EVAL_BATCH_SIZE = 64


def _dataset(rng, n, d_in, true_w):
    x = rng.standard_normal((n, d_in), dtype=np.float32)
    scores = x.astype(np.float64) @ true_w + 0.5 * rng.standard_normal(
        (n, true_w.shape[1])
    )
    return x, scores.argmax(axis=1).astype(np.int64)


def make_inputs(
    rng: np.random.Generator,
    n_train: int,
    n_test: int,
    d_in: int,
    hidden: int,
    classes: int,
) -> dict:
    assert n_train % BATCH_SIZE == 0 and n_test % EVAL_BATCH_SIZE == 0, (
        "only full batches (see task.toml notes)"
    )
    true_w = rng.standard_normal((d_in, classes)) / np.sqrt(d_in) * 3.0
    x_train, y_train = _dataset(rng, n_train, d_in, true_w)
    x_test, y_test = _dataset(rng, n_test, d_in, true_w)
    # Shared initial weights, (fan_in, fan_out) kernels, drawn like the frameworks' default uniform(-1/sqrt(fan_in), +).
    bound1, bound2 = 1 / np.sqrt(d_in), 1 / np.sqrt(hidden)
    return {
        "x_train": x_train,
        "y_train": y_train,
        "x_test": x_test,
        "y_test": y_test,
        "w1": rng.uniform(-bound1, bound1, (d_in, hidden)).astype(np.float32),
        "b1": rng.uniform(-bound1, bound1, hidden).astype(np.float32),
        "w2": rng.uniform(-bound2, bound2, (hidden, classes)).astype(np.float32),
        "b2": rng.uniform(-bound2, bound2, classes).astype(np.float32),
    }


def _log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def reference(inputs: dict) -> dict:
    x, y = inputs["x_train"].astype(np.float64), inputs["y_train"]
    params = [inputs[k].astype(np.float64) for k in ("w1", "b1", "w2", "b2")]
    ema = None
    epoch_loss = []
    for _ in range(EPOCHS):
        losses = []
        for start in range(0, len(x), BATCH_SIZE):
            xb, yb = x[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
            w1, b1, w2, b2 = params
            h_pre = xb @ w1 + b1
            h = np.maximum(h_pre, 0.0)
            log_probs = _log_softmax(h @ w2 + b2)
            rows = np.arange(len(yb))
            losses.append(-log_probs[rows, yb].mean())
            d_logits = np.exp(log_probs)
            d_logits[rows, yb] -= 1.0
            d_logits /= len(yb)
            d_h = (d_logits @ w2.T) * (h_pre > 0)
            grads = [xb.T @ d_h, d_h.sum(axis=0), h.T @ d_logits, d_logits.sum(axis=0)]
            params = [p - LEARNING_RATE * g for p, g in zip(params, grads)]
            # EMA after the optimizer step; the first update copies the weights.
            ema = (
                [p.copy() for p in params]
                if ema is None
                else [DECAY * e + (1 - DECAY) * p for e, p in zip(ema, params)]
            )
        epoch_loss.append(np.mean(losses))
    w1, b1, w2, b2 = ema
    log_probs = _log_softmax(
        np.maximum(inputs["x_test"].astype(np.float64) @ w1 + b1, 0.0) @ w2 + b2
    )
    eval_loss = -log_probs[np.arange(len(inputs["y_test"])), inputs["y_test"]].mean()
    return {
        "epoch_loss": np.array(epoch_loss),
        "ema_weights": ema,
        "eval_loss": eval_loss,
    }
