import tensorflow as tf

batch_size = 16


def setup(inputs, device):
    mean, std = inputs["mean"], inputs["std"]

    def preprocess(x, label):
        standardised = (x - mean) / std
        norm = tf.norm(x)
        return standardised, norm, label

    dataset = (
        tf.data.Dataset.from_tensor_slices((inputs["x"], inputs["labels"]))
        .map(preprocess)
        .filter(lambda standardised, norm, label: label != 0)
        .batch(batch_size, drop_remainder=True)
    )
    return {"dataset": dataset}


def run(state):
    feature_mean, norm_max = [], []
    for standardised, norm, _ in state["dataset"]:
        feature_mean.append(tf.reduce_mean(standardised, axis=0))
        norm_max.append(tf.reduce_max(norm))
    return {"feature_mean": tf.stack(feature_mean), "norm_max": tf.stack(norm_max)}
