import torch
from torch import nn


def setup(inputs, device):
    d_in, classes = inputs["w"].shape
    model = nn.Linear(d_in, classes)
    # easeval: glue-begin
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(inputs["w"].T))
        model.bias.copy_(torch.from_numpy(inputs["b"]))
    # easeval: glue-end
    model = model.to(device)
    return {
        "model": model,
        "loss_fn": nn.CrossEntropyLoss(),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "y": torch.from_numpy(inputs["y"]).to(device),
        "device": device,
    }


def run(state):
    model = state["model"]
    model.zero_grad()
    with torch.autocast(device_type=state["device"], dtype=torch.bfloat16):
        logits = model(state["x"])
        loss = state["loss_fn"](logits, state["y"])
    loss.backward()
    grad_w = model.weight.grad.T  # easeval: glue
    return {
        "loss": loss.detach(),
        "grad_w": grad_w,
        "grad_b": model.bias.grad,
        "reduced_precision": logits.dtype == torch.bfloat16,
    }
