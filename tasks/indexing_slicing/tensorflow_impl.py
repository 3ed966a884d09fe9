import tensorflow as tf

outlier = 1.5


def setup(inputs, device):
    state = {
        name: tf.constant(inputs[name])
        for name in ("x", "rows", "cols", "updates", "bin_ids")
    }
    state["bins"] = int(inputs["bins"])
    return state


def run(t):
    x, rows, cols = t["x"], t["rows"], t["cols"]
    positions = tf.range(x.shape[0])
    row_updated = tf.tensor_scatter_nd_update(x, rows[:, tf.newaxis], t["updates"])
    histogram = tf.tensor_scatter_nd_add(
        tf.zeros(t["bins"]), t["bin_ids"][:, tf.newaxis], x[:, 0]
    )
    return {
        "positions": positions,
        "column": x[:, 2],
        "strided": x[1::2, ::3],
        "tail_reversed": x[-3:, ::-1],
        "rows": tf.gather(x, rows),
        "picked": tf.gather(x, cols, batch_dims=1),
        "positives": tf.boolean_mask(x, x > 0),
        "outliers_zeroed": tf.where(tf.abs(x) > outlier, 0.0, x),
        "row_updated": row_updated,
        "histogram": histogram,
    }
