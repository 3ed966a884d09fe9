import os
import tempfile

import torch
from torch import nn


class NeuralNetwork(nn.Module):
    def __init__(self, d_in, hidden, d_out):
        super().__init__()
        self.stack = nn.Sequential(
            nn.Linear(d_in, hidden),
            nn.BatchNorm1d(hidden, eps=1e-5),
            nn.ReLU(),
            nn.Linear(hidden, d_out),
        )

    def forward(self, x):
        return self.stack(x)


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    d_out = inputs["w2"].shape[1]
    model = NeuralNetwork(d_in, hidden, d_out)
    # easeval: glue-begin
    with torch.no_grad():
        model.stack[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model.stack[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model.stack[1].weight.copy_(torch.from_numpy(inputs["gamma"]))
        model.stack[1].bias.copy_(torch.from_numpy(inputs["beta"]))
        model.stack[1].running_mean.copy_(torch.from_numpy(inputs["running_mean"]))
        model.stack[1].running_var.copy_(torch.from_numpy(inputs["running_var"]))
        model.stack[3].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model.stack[3].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    return {
        "model": model.to(device),
        "sizes": (d_in, hidden, d_out),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "path": os.path.join(tempfile.mkdtemp(), "model_weights.pth"),
        "device": device,
    }


def run(state):
    model, x = state["model"], state["x"]
    torch.save(model.state_dict(), state["path"])

    reloaded = NeuralNetwork(*state["sizes"]).to(state["device"])
    reloaded.load_state_dict(torch.load(state["path"], weights_only=True))
    model.eval()
    reloaded.eval()
    with torch.no_grad():
        original_outputs = model(x)
        outputs = reloaded(x)
    return {"outputs": outputs, "matches_original": torch.equal(outputs, original_outputs)}
