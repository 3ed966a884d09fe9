import os
import tempfile

import torch
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, d_in, hidden, d_out):
        super().__init__()
        self.input_layer = nn.Linear(d_in, hidden)
        self.residual = nn.Linear(hidden, hidden)
        self.output_layer = nn.Linear(hidden, d_out)

    def forward(self, x):
        h = torch.relu(self.input_layer(x))
        h = torch.relu(h + self.residual(h))
        return self.output_layer(h)


def setup(inputs, device):
    d_in, hidden = inputs["w_in"].shape
    model = ResidualMLP(d_in, hidden, inputs["w_out"].shape[1])
    # easeval: glue-begin
    with torch.no_grad():
        for layer, name in (
            (model.input_layer, "in"),
            (model.residual, "res"),
            (model.output_layer, "out"),
        ):
            layer.weight.copy_(torch.from_numpy(inputs[f"w_{name}"].T))
            layer.bias.copy_(torch.from_numpy(inputs[f"b_{name}"]))
    # easeval: glue-end
    return {
        "model": model.to(device),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "path": os.path.join(tempfile.mkdtemp(), "model.pt"),
    }


def run(state):
    model, x = state["model"], state["x"]
    torch.save(model, state["path"])

    # The whole module is pickled: loading needs ResidualMLP importable and a trusted file.
    reloaded = torch.load(state["path"], weights_only=False)
    model.eval()
    reloaded.eval()
    with torch.no_grad():
        original_outputs = model(x)
        outputs = reloaded(x)
    return {
        "outputs": outputs,
        "matches_original": torch.equal(outputs, original_outputs),
    }
