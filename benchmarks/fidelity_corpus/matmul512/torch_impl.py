import torch


def setup(inputs, device):
    return {"a": torch.from_numpy(inputs["a"]).to(device), "b": torch.from_numpy(inputs["b"]).to(device)}


def run(state):
    return state["a"] @ state["b"]
