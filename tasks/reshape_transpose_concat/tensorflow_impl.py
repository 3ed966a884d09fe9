import tensorflow as tf

patch = 4


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    x, y = t["x"], t["y"]
    b, c, h, w = x.shape
    patches = tf.reshape(x, [b, c, h // patch, patch, w // patch, patch])
    patches = tf.transpose(patches, perm=[0, 2, 4, 1, 3, 5])
    patches = tf.reshape(patches, [b, (h // patch) * (w // patch), c * patch * patch])
    return {
        "nhwc": tf.transpose(x, perm=[0, 2, 3, 1]),
        "swapped_hw": tf.transpose(x, perm=[0, 1, 3, 2]),
        "flattened": tf.reshape(x, [b, -1]),
        "patches": patches,
        "concatenated": tf.concat([x, y], axis=1),
        "paired": tf.stack([x, y], axis=-1),
        "split": tf.split(x, [1, c - 1], axis=1),
        "first_channel": tf.squeeze(x[:, :1], axis=1),
        "first_image_as_batch": tf.expand_dims(x[0], axis=0),
    }
