import torch
from torch import nn


class TemperatureLinear(nn.Module):
    """A linear layer whose output is divided by a learned temperature, kept positive as exp(log_t)."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_features, out_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        self.log_temperature = nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return (x @ self.weight + self.bias) / torch.exp(self.log_temperature)


def setup(inputs, device):
    layer = TemperatureLinear(*inputs["weight"].shape)
    # easeval: glue-begin
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(inputs["weight"]))
        layer.bias.copy_(torch.from_numpy(inputs["bias"]))
        layer.log_temperature.copy_(torch.from_numpy(inputs["log_temperature"]))
    # easeval: glue-end
    layer = layer.to(device)
    x = torch.from_numpy(inputs["x"]).to(device)
    labels = torch.from_numpy(inputs["labels"]).to(device)
    return {"layer": layer, "x": x, "labels": labels, "loss_fn": nn.CrossEntropyLoss()}


def run(state):
    layer = state["layer"]
    layer.zero_grad()  # gradients accumulate across backward() calls
    logits = layer(state["x"])
    loss = state["loss_fn"](logits, state["labels"])
    loss.backward()
    grads = {name: parameter.grad for name, parameter in layer.named_parameters()}
    return {"logits": logits.detach(), "loss": loss.detach(), "grads": grads}
