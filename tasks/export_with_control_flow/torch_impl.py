import os
import tempfile

import torch
from torch import nn


class BranchingMLP(nn.Module):
    def __init__(self, d_in, hidden, d_out):
        super().__init__()
        self.input_layer = nn.Linear(d_in, hidden)
        self.branch_a = nn.Linear(hidden, hidden)
        self.branch_b = nn.Linear(hidden, hidden)
        self.output_layer = nn.Linear(hidden, d_out)

    def forward(self, x):
        def true_fn(h):
            return torch.relu(self.branch_a(h))

        def false_fn(h):
            return torch.tanh(self.branch_b(h))

        h = torch.relu(self.input_layer(x))
        # torch.cond keeps both branches in the exported graph; a Python `if` would keep only one.
        h = torch.cond(x.mean() > 0, true_fn, false_fn, (h,))
        return self.output_layer(h)


def setup(inputs, device):
    d_in, hidden = inputs["w_in"].shape
    model = BranchingMLP(d_in, hidden, inputs["w_out"].shape[1])
    # easeval: glue-begin
    with torch.no_grad():
        for layer, name in (
            (model.input_layer, "in"),
            (model.branch_a, "a"),
            (model.branch_b, "b"),
            (model.output_layer, "out"),
        ):
            layer.weight.copy_(torch.from_numpy(inputs[f"w_{name}"].T))
            layer.bias.copy_(torch.from_numpy(inputs[f"b_{name}"]))
    # easeval: glue-end
    return {
        "model": model.to(device).eval(),
        "x_positive": torch.from_numpy(inputs["x_positive"]).to(device),
        "x_negative": torch.from_numpy(inputs["x_negative"]).to(device),
        "path": os.path.join(tempfile.mkdtemp(), "branching.pt2"),
    }


def run(state):
    x = state["x_positive"]
    batch = torch.export.Dim("batch")
    exported = torch.export.export(
        state["model"], (x,), dynamic_shapes={"x": {0: batch}}
    )
    torch.export.save(exported, state["path"])

    served = torch.export.load(state["path"]).module()
    with torch.no_grad():
        return {"positive": served(x), "negative": served(state["x_negative"])}
