import torch


def setup(inputs, device):
    return {
        name: torch.as_tensor(value, device=device) for name, value in inputs.items()
    }


def run(t):
    x, y = t["x"], t["y"]
    mask = x > t["threshold"]
    where = torch.where(mask, x, y)
    return {
        "selected": torch.masked_select(x, mask),
        "where": where,
        "cumsum": torch.cumsum(where, dim=1),
    }
