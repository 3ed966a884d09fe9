import os
import tempfile

import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self, d_in, hidden, n_classes):
        super().__init__()
        self.stack = nn.Sequential(
            nn.Linear(d_in, hidden),
            nn.ReLU(),
            nn.Linear(hidden, n_classes),
            nn.Softmax(dim=1),
        )

    def forward(self, x):
        return self.stack(x)


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = Classifier(d_in, hidden, inputs["w2"].shape[1])
    # easeval: glue-begin
    with torch.no_grad():
        model.stack[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model.stack[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model.stack[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model.stack[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    return {
        "model": model.to(device).eval(),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "path": os.path.join(tempfile.mkdtemp(), "classifier.pt2"),
    }


def run(state):
    x = state["x"]
    batch = torch.export.Dim("batch")
    exported = torch.export.export(state["model"], (x,), dynamic_shapes={"x": {0: batch}})
    torch.export.save(exported, state["path"])

    served = torch.export.load(state["path"]).module()
    with torch.no_grad():
        return {"batch": served(x), "single": served(x[:1])}
