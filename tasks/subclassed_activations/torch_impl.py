import torch
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.inner = nn.Sequential(nn.Linear(width, width), nn.ReLU())
        self.linear = nn.Linear(width, width)

    def forward(self, h):
        return torch.relu(h + self.linear(self.inner(h)))


class ResidualMLP(nn.Module):
    def __init__(self, d_in, hidden, classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU())
        self.block = ResidualBlock(hidden)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        return self.head(self.block(self.stem(x)))


def save_activation(activations, name):
    def hook(module, inputs, output):
        activations[name] = output.detach()

    return hook


def setup(inputs, device):
    d_in, hidden = inputs["w_stem"].shape
    model = ResidualMLP(d_in, hidden, inputs["w_head"].shape[1])
    # easeval: glue-begin
    with torch.no_grad():
        for linear, name in (
            (model.stem[0], "stem"),
            (model.block.inner[0], "inner"),
            (model.block.linear, "linear"),
            (model.head, "head"),
        ):
            linear.weight.copy_(torch.from_numpy(inputs["w_" + name].T))
            linear.bias.copy_(torch.from_numpy(inputs["b_" + name]))
    # easeval: glue-end
    model = model.to(device)
    # Hooks read the activations without touching the model's code.
    activations = {}
    model.stem.register_forward_hook(save_activation(activations, "stem"))
    model.block.inner.register_forward_hook(save_activation(activations, "block_inner"))
    model.block.register_forward_hook(save_activation(activations, "block"))
    return {
        "model": model,
        "activations": activations,
        "x": torch.from_numpy(inputs["x"]).to(device),
    }


def run(state):
    with torch.no_grad():
        logits = state["model"](state["x"])
    return {**state["activations"], "logits": logits}
