import tensorflow as tf

BATCH_SIZE = 32


def setup(inputs, device):
    sequences = tf.RaggedTensor.from_row_lengths(inputs["tokens"], inputs["lengths"])
    return tf.data.Dataset.from_tensor_slices((sequences, inputs["lengths"]))


def run(dataset):
    batches = []
    for tokens, lengths in dataset.ragged_batch(BATCH_SIZE):
        batches.append({"tokens": tokens.to_tensor(), "lengths": lengths})
    return {"batches": batches}
