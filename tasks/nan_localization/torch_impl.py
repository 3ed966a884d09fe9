import torch
from torch import nn


class Log(nn.Module):
    def forward(self, x):
        return torch.log(x)


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        Log(),
        nn.Linear(hidden, inputs["w3"].shape[1]),
    )
    # easeval: glue-begin
    with torch.no_grad():
        for index, suffix in ((0, "1"), (2, "2"), (4, "3")):
            model[index].weight.copy_(torch.from_numpy(inputs["w" + suffix].T))
            model[index].bias.copy_(torch.from_numpy(inputs["b" + suffix]))
    # easeval: glue-end
    model = model.to(device)

    # A forward hook on every layer checks its output; the first non-finite one is recorded.
    found = {}

    def check_finite(index):
        def hook(module, args, output):
            if "layer" not in found and not torch.isfinite(output).all():
                found["layer"] = index
                found["input"] = args[0].detach()

        return hook

    for index, layer in enumerate(model):
        layer.register_forward_hook(check_finite(index))
    return {
        "model": model,
        "found": found,
        "x": torch.from_numpy(inputs["x"]).to(device),
    }


def run(state):
    found = state["found"]
    found.clear()
    with torch.no_grad():
        state["model"](state["x"])
    return {
        "first_nonfinite_layer": found["layer"],
        "last_finite_activation": found["input"],
    }
