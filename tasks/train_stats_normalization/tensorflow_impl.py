import keras
import tensorflow as tf

BATCH_SIZE = 256


def setup(inputs, device):
    train_ds = tf.data.Dataset.from_tensor_slices(inputs["train"]).batch(BATCH_SIZE)
    val_ds = tf.data.Dataset.from_tensor_slices(inputs["val"]).batch(BATCH_SIZE)
    normalizer = keras.layers.Normalization(axis=-1)
    return normalizer, train_ds, val_ds


def run(state):
    normalizer, train_ds, val_ds = state
    normalizer.adapt(train_ds)
    train = tf.concat([normalizer(batch) for batch in train_ds], axis=0)
    val = tf.concat([normalizer(batch) for batch in val_ds], axis=0)
    mean = tf.reshape(normalizer.mean, [-1])
    std = tf.sqrt(tf.reshape(normalizer.variance, [-1]))
    return {"mean": mean, "std": std, "train": train, "val": val}
