import torch
from torch import nn


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, inputs["w2"].shape[1])
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    # The batch starts in host memory, as one from a DataLoader does.
    return {"model": model, "x": torch.from_numpy(inputs["x"]), "device": device}


def run(state):
    model, device = state["model"], state["device"]
    x = state["x"].to(device)
    with torch.no_grad():
        logits = model(x)
    placed = [
        logits.device.type == device,
        next(model.parameters()).device.type == device,
    ]
    return {"logits": logits, "on_requested_device": placed}
