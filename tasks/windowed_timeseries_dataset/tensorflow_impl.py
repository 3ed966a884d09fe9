import tensorflow as tf


def setup(inputs, device):
    series, window = inputs["series"], int(inputs["window"])
    # targets[i] is the target of the window that starts at row i: feature 0 of row i + window.
    # The last row is only ever a target, so the windows are drawn from series[:-1]:
    # len(series) - window of them, as many as there are targets.
    dataset = tf.keras.utils.timeseries_dataset_from_array(
        series[:-1],
        targets=series[window:, 0],
        sequence_length=window,
        batch_size=int(inputs["batch"]),
        shuffle=False,
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
