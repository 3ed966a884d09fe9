import torch
from torch import nn

max_depth = 100


class DynamicDepthNet(nn.Module):
    def __init__(self, width, classes, threshold):
        super().__init__()
        self.block = nn.Linear(width, width)
        self.head = nn.Linear(width, classes)
        self.threshold = threshold

    def forward(self, x):
        # Apply the same residual block until the activations are small: the depth depends on the data.
        h, depth = x, 0
        while (
            torch.linalg.vector_norm(h, dim=1).mean() > self.threshold
            and depth < max_depth
        ):
            h = h + torch.tanh(self.block(h))
            depth += 1
        return self.head(h), depth


def setup(inputs, device):
    width, classes = inputs["w_head"].shape
    model = DynamicDepthNet(width, classes, float(inputs["threshold"]))
    # easeval: glue-begin
    with torch.no_grad():
        for linear, name in ((model.block, "block"), (model.head, "head")):
            linear.weight.copy_(torch.from_numpy(inputs["w_" + name].T))
            linear.bias.copy_(torch.from_numpy(inputs["b_" + name]))
    # easeval: glue-end
    model = model.to(device)
    model.eval()
    model = torch.compile(model)
    return {"model": model, "x": torch.from_numpy(inputs["x"]).to(device)}


def run(state):
    with torch.no_grad():
        logits, depth = state["model"](state["x"])
    return {"logits": logits, "depth": depth}
