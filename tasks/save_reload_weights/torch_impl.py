import os
import tempfile

import torch
from torch import nn


def build_model(d_in, hidden, d_out):
    return nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.BatchNorm1d(hidden, eps=1e-5),
        nn.ReLU(),
        nn.Linear(hidden, d_out),
    )


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    d_out = inputs["w2"].shape[1]
    model = build_model(d_in, hidden, d_out)
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[1].weight.copy_(torch.from_numpy(inputs["gamma"]))
        model[1].bias.copy_(torch.from_numpy(inputs["beta"]))
        model[1].running_mean.copy_(torch.from_numpy(inputs["running_mean"]))
        model[1].running_var.copy_(torch.from_numpy(inputs["running_var"]))
        model[3].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[3].bias.copy_(torch.from_numpy(inputs["b2"]))
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

    reloaded = build_model(*state["sizes"]).to(state["device"])
    reloaded.load_state_dict(torch.load(state["path"], weights_only=True))
    model.eval()
    reloaded.eval()
    with torch.no_grad():
        original_outputs = model(x)
        outputs = reloaded(x)
    return {
        "outputs": outputs,
        "matches_original": torch.equal(outputs, original_outputs),
    }
