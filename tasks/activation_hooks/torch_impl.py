import torch
from torch import nn


def save_activation(activations, name):
    def hook(module, inputs, output):
        activations[name] = output.detach()

    return hook


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, inputs["w3"].shape[1]),
    )
    # easeval: glue-begin
    with torch.no_grad():
        for index, suffix in ((0, "1"), (2, "2"), (4, "3")):
            model[index].weight.copy_(torch.from_numpy(inputs["w" + suffix].T))
            model[index].bias.copy_(torch.from_numpy(inputs["b" + suffix]))
    # easeval: glue-end
    model = model.to(device)
    activations = {}
    model[1].register_forward_hook(save_activation(activations, "hidden1"))
    model[3].register_forward_hook(save_activation(activations, "hidden2"))
    return {
        "model": model,
        "activations": activations,
        "x": torch.from_numpy(inputs["x"]).to(device),
    }


def run(state):
    with torch.no_grad():
        output = state["model"](state["x"])
    activations = state["activations"]
    return {
        "hidden1": activations["hidden1"],
        "hidden2": activations["hidden2"],
        "output": output,
    }
