import tensorflow as tf

BATCH_SIZE = 64


def setup(inputs, device):
    dataset = tf.data.Dataset.from_tensor_slices((inputs["features"], inputs["labels"]))
    keep_labels = tf.constant(inputs["keep_labels"])
    scale = tf.constant(inputs["scale"])
    return dataset, keep_labels, scale


def run(state):
    dataset, keep_labels, scale = state
    kept = dataset.filter(lambda features, label: tf.reduce_any(label == keep_labels))
    scaled = kept.map(lambda features, label: features * scale)
    feature_sums, counts = [], []
    for batch in scaled.batch(BATCH_SIZE):
        feature_sums.append(tf.reduce_sum(batch, axis=0))
        counts.append(tf.shape(batch)[0])
    return {"feature_sums": tf.stack(feature_sums), "counts": tf.stack(counts)}
