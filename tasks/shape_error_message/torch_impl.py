import re
from collections import OrderedDict

import numpy as np
import torch
from torch import nn


def setup(inputs, device):
    dense_model = nn.Sequential(
        OrderedDict(
            [
                ("feature_proj", nn.Linear(37, 16)),
                ("relu", nn.ReLU()),
                ("head", nn.Linear(16, 4)),
            ]
        )
    ).to(device)
    conv_model = nn.Sequential(
        OrderedDict(
            [
                ("stem_conv", nn.Conv2d(7, 16, kernel_size=3)),
                ("relu", nn.ReLU()),
                ("pool", nn.AdaptiveAvgPool2d(1)),
                ("flatten", nn.Flatten()),
                ("head", nn.Linear(16, 4)),
            ]
        )
    ).to(device)
    x_dense = torch.from_numpy(inputs["x_dense"]).to(device)
    # channels first
    x_conv = torch.from_numpy(inputs["x_conv"]).permute(0, 3, 1, 2).to(device)
    return {"dense": (dense_model, x_dense), "conv": (conv_model, x_conv)}


def error_message(model, x):
    try:
        model(x)
    except RuntimeError as error:
        return str(error)
    return ""


# easeval: glue-begin
def report(message, layer, expected, received):
    def has_number(number):
        return re.search(rf"(?<![0-9]){number}(?![0-9])", message) is not None

    return {
        "message": np.frombuffer(message.encode(), dtype=np.uint8),
        "names_layer": layer in message,
        "names_expected": has_number(expected),
        "names_received": has_number(received),
    }


# easeval: glue-end


def run(state):
    with torch.no_grad():
        dense_message = error_message(*state["dense"])
        conv_message = error_message(*state["conv"])
    return {
        "dense": report(dense_message, "feature_proj", 37, 23),  # easeval: glue
        "conv": report(conv_message, "stem_conv", 7, 5),  # easeval: glue
    }
