"""Broadcasting arithmetic and reductions along axes, written out in float64 NumPy."""

import numpy as np

# logits up to ~150: exp() overflows float32 unless logsumexp subtracts the max
LOGIT_SCALE = 40.0


def make_inputs(
    rng: np.random.Generator, n: int, d: int, n_centers: int, classes: int
) -> dict:
    return {
        "x": (3.0 + 2.0 * rng.standard_normal((n, d))).astype(np.float32),
        "centers": rng.standard_normal((n_centers, d), dtype=np.float32),
        "logits": (LOGIT_SCALE * rng.standard_normal((n, classes))).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    x, centers, logits = (
        inputs[k].astype(np.float64) for k in ("x", "centers", "logits")
    )
    mean = x.sum(axis=0) / len(x)
    std = np.sqrt(((x - mean) ** 2).sum(axis=0) / len(x))  # population std (ddof=0)
    # |x - c|^2 expanded (exact enough in float64) so the large size needs no (n, n_centers, d) array
    sq_distances = (
        (x**2).sum(axis=1)[:, None]
        - 2.0 * x @ centers.T
        + (centers**2).sum(axis=1)[None, :]
    )
    top = logits.max(axis=1)
    logsumexp = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    return {
        "standardized": (x - mean) / std,
        "sq_distances": sq_distances,
        "nearest_center": sq_distances.argmin(axis=1),
        "row_sum": x.sum(axis=1),
        "row_mean_keepdims": x.mean(axis=1, keepdims=True),
        "column_max": x.max(axis=0),
        "row_argmax": logits.argmax(axis=1),
        "logsumexp": logsumexp,
    }
