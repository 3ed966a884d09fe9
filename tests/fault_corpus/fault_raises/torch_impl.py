import torch


def setup(inputs, device):
    return {"x": torch.from_numpy(inputs["x"])}


def run(state):
    raise ValueError("deliberate failure in run")
