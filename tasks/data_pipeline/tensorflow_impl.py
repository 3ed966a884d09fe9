import tensorflow as tf

batch_size = 16
epochs = 2
seed = 1234


def shuffle_and_batch(dataset):
    dataset = dataset.shuffle(
        buffer_size=len(dataset), seed=seed, reshuffle_each_iteration=True
    )
    return dataset.batch(batch_size)


def read_epochs(dataset):
    return [
        [{"id": ids, "x": x, "y": y} for ids, x, y in dataset] for _ in range(epochs)
    ]


def setup(inputs, device):
    n_classes = int(inputs["n_classes"])

    def preprocess(idx, image, label):
        return idx, tf.cast(image, tf.float32) / 255.0, tf.one_hot(label, n_classes)

    ids = tf.range(len(inputs["labels"]))
    dataset = tf.data.Dataset.from_tensor_slices(
        (ids, inputs["pixels"], inputs["labels"])
    ).map(preprocess)
    return {"dataset": dataset}


def run(state):
    epochs_seen = read_epochs(shuffle_and_batch(state["dataset"]))
    rebuilt = read_epochs(shuffle_and_batch(state["dataset"]))
    return {"epochs": epochs_seen, "rebuilt": rebuilt}
