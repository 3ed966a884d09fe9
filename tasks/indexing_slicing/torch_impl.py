import torch

outlier = 1.5


def setup(inputs, device):
    state = {
        name: torch.from_numpy(inputs[name]).to(device)
        for name in ("x", "rows", "cols", "updates", "bin_ids")
    }
    state["bins"] = int(inputs["bins"])
    return state


def run(t):
    x, rows, cols = t["x"], t["rows"], t["cols"]
    positions = torch.arange(x.shape[0], device=x.device)
    row_updated = x.clone()
    row_updated[rows] = t["updates"]
    histogram = torch.zeros(t["bins"], device=x.device)
    histogram.index_add_(0, t["bin_ids"], x[:, 0])
    # Basic slices are strided views; .contiguous() materialises them as TensorFlow's slices do.
    return {
        "positions": positions,
        "column": x[:, 2].contiguous(),
        "strided": x[1::2, ::3].contiguous(),
        "tail_reversed": torch.flip(x[-3:], dims=[1]),
        "rows": x[rows],
        "picked": x[positions, cols],
        "positives": x[x > 0],
        "outliers_zeroed": x.masked_fill(x.abs() > outlier, 0.0),
        "row_updated": row_updated,
        "histogram": histogram,
    }
