from keras import ops

patch = 4


def setup(inputs, device):
    return {name: ops.convert_to_tensor(array) for name, array in inputs.items()}


def run(t):
    x, y = t["x"], t["y"]
    b, c, h, w = ops.shape(x)
    patches = ops.reshape(x, (b, c, h // patch, patch, w // patch, patch))
    patches = ops.transpose(patches, axes=(0, 2, 4, 1, 3, 5))
    patches = ops.reshape(patches, (b, (h // patch) * (w // patch), c * patch * patch))
    return {
        "nhwc": ops.transpose(x, axes=(0, 2, 3, 1)),
        "swapped_hw": ops.transpose(x, axes=(0, 1, 3, 2)),
        "flattened": ops.reshape(x, (b, -1)),
        "patches": patches,
        "concatenated": ops.concatenate([x, y], axis=1),
        "paired": ops.stack([x, y], axis=-1),
        # NumPy's convention: split before index 1 (tf.split takes the sizes, [1, c - 1])
        "split": ops.split(x, [1], axis=1),
        "first_channel": ops.squeeze(x[:, :1], axis=1),
        "first_image_as_batch": ops.expand_dims(x[0], axis=0),
    }
