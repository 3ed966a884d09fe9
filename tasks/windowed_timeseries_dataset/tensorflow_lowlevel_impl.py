import tensorflow as tf


def setup(inputs, device):
    window = int(inputs["window"])
    window_size = window + 1  # the inputs and, in the last row, the target

    def sub_to_batch(sub):
        return sub.batch(window_size, drop_remainder=True)

    def split_window(rows):
        # Inputs: every row but the last; target: feature 0 of the last row.
        return rows[:-1], rows[-1, 0]

    dataset = (
        tf.data.Dataset.from_tensor_slices(inputs["series"])
        .window(window_size, shift=1)
        .flat_map(sub_to_batch)
        .map(split_window)
        .batch(int(inputs["batch"]))
    )
    return {"dataset": dataset}


def run(state):
    inputs, targets, batch_sizes = [], [], []
    for X, y in state["dataset"]:
        inputs.append(X)
        targets.append(y)
        batch_sizes.append(X.shape[0])
    return {
        "inputs": tf.concat(inputs, axis=0),
        "targets": tf.concat(targets, axis=0),
        "batch_sizes": batch_sizes,
    }
