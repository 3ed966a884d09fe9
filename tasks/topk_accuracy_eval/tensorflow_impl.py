import tensorflow as tf

BATCH_SIZE = 256


def setup(inputs, device):
    dataset = tf.data.Dataset.from_tensor_slices((inputs["logits"], inputs["labels"]))
    return dataset.batch(BATCH_SIZE)


def run(dataset):
    top1_correct, top5_correct, n = [], [], 0
    for logits, labels in dataset:
        top1 = tf.math.in_top_k(labels, logits, k=1)
        top5 = tf.math.in_top_k(labels, logits, k=5)
        top1_correct.append(tf.math.count_nonzero(top1))
        top5_correct.append(tf.math.count_nonzero(top5))
        n += len(labels)
    top1_correct = tf.stack(top1_correct)
    top5_correct = tf.stack(top5_correct)
    return {
        "top1_correct": top1_correct,
        "top5_correct": top5_correct,
        "top1_accuracy": tf.cast(tf.reduce_sum(top1_correct), tf.float32) / n,
        "top5_accuracy": tf.cast(tf.reduce_sum(top5_correct), tf.float32) / n,
    }
