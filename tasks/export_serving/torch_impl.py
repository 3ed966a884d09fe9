import os
import tempfile

import torch
from torch import nn


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.ReLU(),
        nn.Linear(hidden, inputs["w2"].shape[1]),
        nn.Softmax(dim=1),
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    return {
        "model": model.to(device).eval(),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "path": os.path.join(tempfile.mkdtemp(), "classifier.pt2"),
    }


def run(state):
    x = state["x"]
    batch = torch.export.Dim("batch")
    exported = torch.export.export(state["model"], (x,), dynamic_shapes=({0: batch},))
    torch.export.save(exported, state["path"])

    served = torch.export.load(state["path"]).module()
    with torch.no_grad():
        return {"batch": served(x), "single": served(x[:1])}
