import torch
from torch import nn


def setup(inputs, device):
    depth = sum(1 for key in inputs if key.startswith("w"))
    layers = []
    for l in range(depth):
        fan_in, fan_out = inputs[f"w{l}"].shape
        layers.append(nn.Linear(fan_in, fan_out))
        if l < depth - 1:
            layers.append(nn.Tanh())
    model = nn.Sequential(*layers)
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    # easeval: glue-begin
    with torch.no_grad():
        for l, linear in enumerate(linears):
            linear.weight.copy_(torch.from_numpy(inputs[f"w{l}"].T))
            linear.bias.copy_(torch.from_numpy(inputs[f"b{l}"]))
    # easeval: glue-end
    model = model.to(device)

    # A backward hook on each linear layer records the norm of the gradient at its output.
    output_grad_norms = {}

    def record_norm(index):
        def hook(module, grad_input, grad_output):
            output_grad_norms[index] = grad_output[0].norm()

        return hook

    for index, linear in enumerate(linears):
        linear.register_full_backward_hook(record_norm(index))
    return {
        "model": model,
        "linears": linears,
        "output_grad_norms": output_grad_norms,
        "loss_fn": nn.MSELoss(),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "y": torch.from_numpy(inputs["y"]).to(device),
    }


def run(state):
    model, linears = state["model"], state["linears"]
    model.zero_grad()
    loss = state["loss_fn"](model(state["x"]), state["y"])
    loss.backward()
    weight_grad_norms = [linear.weight.grad.norm() for linear in linears]
    output_grad_norms = [
        state["output_grad_norms"][index] for index in range(len(linears))
    ]
    return {
        "loss": loss.detach(),
        "weight_grad_norms": weight_grad_norms,
        "output_grad_norms": output_grad_norms,
    }
