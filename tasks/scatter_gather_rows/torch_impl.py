import torch


def setup(inputs, device):
    return {name: torch.from_numpy(array).to(device) for name, array in inputs.items()}


def run(t):
    table, indices, updates = t["table"], t["indices"], t["updates"]
    gathered = table[indices]
    scattered = torch.zeros_like(table).index_add_(0, indices, updates)
    return {"gathered": gathered, "scattered": scattered}
