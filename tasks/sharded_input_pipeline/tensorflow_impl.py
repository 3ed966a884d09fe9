import tensorflow as tf

num_workers = 2
batch_size = 8


def setup(inputs, device):
    dataset = tf.data.Dataset.from_tensor_slices((inputs["features"], inputs["labels"]))
    return {
        "dataset": dataset,
        "mean": tf.constant(inputs["mean"]),
        "std": tf.constant(inputs["std"]),
    }


def worker_dataset(dataset, worker_index, mean, std):
    """The pipeline that worker `worker_index` of `num_workers` builds: shard first, then transform."""
    return (
        dataset.shard(num_shards=num_workers, index=worker_index)
        .map(lambda x, y: ((x - mean) / std, y))
        .batch(batch_size)
    )


def run(state):
    features, labels = [], []
    for worker_index in range(num_workers):
        batches = list(
            worker_dataset(state["dataset"], worker_index, state["mean"], state["std"])
        )
        features.append([x for x, _ in batches])
        labels.append([y for _, y in batches])
    return {"features": features, "labels": labels}
