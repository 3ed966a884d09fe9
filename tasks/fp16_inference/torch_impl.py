import torch
from torch import nn


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w3"].shape[1]
    model = nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, classes),
    )
    # easeval: glue-begin
    with torch.no_grad():
        for i, layer in enumerate((model[0], model[2], model[4]), start=1):
            layer.weight.copy_(torch.from_numpy(inputs[f"w{i}"].T))
            layer.bias.copy_(torch.from_numpy(inputs[f"b{i}"]))
    # easeval: glue-end
    model = model.half().to(device)
    model.eval()
    x = torch.from_numpy(inputs["x"]).to(device)
    return model, x


def run(state):
    model, x = state
    with torch.no_grad():
        logits = model(x.half())
    return logits.float()
