import torch


def setup(inputs, device):
    return {name: torch.from_numpy(array).to(device) for name, array in inputs.items()}


def run(t):
    counts, x, y = t["counts"], t["x"], t["y"]
    return {
        "weighted": counts.to(torch.float32) * x,
        "shifted": x.to(torch.float64) + y,
        "ratio": (counts.to(torch.float64) / 3).to(torch.float32),
        "halved": torch.div(counts, 2, rounding_mode="floor"),
        "count_total": counts.sum(dtype=torch.int64),
        "weighted_total": (counts.to(torch.float64) * y).sum(),
    }
