import torch


def setup(inputs, device):
    return torch.from_numpy(inputs["x"]).to(device)


def run(x):
    raise ValueError("deliberate failure in run")
