import torch


def setup(inputs, device):
    return {"layer": torch.nn.Linear(3, 4), "x": torch.from_numpy(inputs["x"])}


def project(layer, x):
    return layer(x)  # x has 8 columns, the layer expects 3


def run(state):
    return project(state["layer"], state["x"])
