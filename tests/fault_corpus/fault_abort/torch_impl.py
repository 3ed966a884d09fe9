import os

import torch


def setup(inputs, device):
    return {"x": torch.from_numpy(inputs["x"])}


def run(state):
    os.abort()
