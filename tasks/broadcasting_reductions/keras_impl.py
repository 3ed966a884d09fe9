from keras import ops


def setup(inputs, device):
    return {name: ops.convert_to_tensor(array) for name, array in inputs.items()}


def run(t):
    x, centers, logits = t["x"], t["centers"], t["logits"]
    mean = ops.mean(x, axis=0, keepdims=True)
    std = ops.std(x, axis=0, keepdims=True)
    sq_distances = ops.sum(
        (ops.expand_dims(x, 1) - ops.expand_dims(centers, 0)) ** 2, axis=2
    )
    return {
        "standardized": (x - mean) / std,
        "sq_distances": sq_distances,
        "nearest_center": ops.argmin(sq_distances, axis=1),
        "row_sum": ops.sum(x, axis=1),
        "row_mean_keepdims": ops.mean(x, axis=1, keepdims=True),
        "column_max": ops.max(x, axis=0),
        "row_argmax": ops.argmax(logits, axis=1),
        "logsumexp": ops.logsumexp(logits, axis=1),
    }
