"""Reshape, transpose, concatenate, stack, split, squeeze and expand a batch of images, in NumPy."""

import numpy as np

PATCH = 4


def make_inputs(
    rng: np.random.Generator, batch: int, channels: int, height: int, width: int
) -> dict:
    shape = (batch, channels, height, width)
    return {
        "x": rng.standard_normal(shape, dtype=np.float32),
        "y": rng.standard_normal(shape, dtype=np.float32),
    }


def reference(inputs: dict) -> dict:
    x, y = inputs["x"].astype(np.float64), inputs["y"].astype(np.float64)
    b, c, h, w = x.shape
    patches = np.empty((b, (h // PATCH) * (w // PATCH), c * PATCH * PATCH))
    # patch (i, j), flattened channel-major then row-major inside the patch
    for i in range(h // PATCH):
        for j in range(w // PATCH):
            block = x[:, :, i * PATCH : (i + 1) * PATCH, j * PATCH : (j + 1) * PATCH]
            patches[:, i * (w // PATCH) + j, :] = block.reshape(b, -1)
    return {
        "nhwc": np.transpose(x, (0, 2, 3, 1)),
        "swapped_hw": np.swapaxes(x, 2, 3),
        "flattened": x.reshape(b, c * h * w),
        "patches": patches,
        "concatenated": np.concatenate([x, y], axis=1),
        "paired": np.stack([x, y], axis=-1),
        "split": [x[:, :1], x[:, 1:]],
        "first_channel": x[:, 0],
        "first_image_as_batch": x[0][None],
    }
