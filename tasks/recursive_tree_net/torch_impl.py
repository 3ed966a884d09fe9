import torch
from torch import nn


class TreeNet(nn.Module):
    def __init__(self, width, classes):
        super().__init__()
        self.compose = nn.Linear(2 * width, width)
        self.head = nn.Linear(width, classes)

    def encode(self, node, leaves, left, right):
        if node < len(leaves):
            return leaves[node]
        child = node - len(leaves)
        pair = torch.cat(
            [
                self.encode(left[child], leaves, left, right),
                self.encode(right[child], leaves, left, right),
            ]
        )
        return torch.tanh(self.compose(pair))

    def forward(self, leaves, left, right):
        # Each tree has its own shape: the recursion follows it, one tree at a time.
        roots = [
            self.encode(2 * len(tree_leaves) - 2, tree_leaves, tree_left, tree_right)
            for tree_leaves, tree_left, tree_right in zip(leaves, left, right)
        ]
        return self.head(torch.stack(roots))


def setup(inputs, device):
    width, classes = inputs["w_head"].shape
    model = TreeNet(width, classes)
    # easeval: glue-begin
    with torch.no_grad():
        for linear, name in ((model.compose, "compose"), (model.head, "head")):
            linear.weight.copy_(torch.from_numpy(inputs["w_" + name].T))
            linear.bias.copy_(torch.from_numpy(inputs["b_" + name]))
    x = torch.from_numpy(inputs["x"]).to(device)
    n_leaves = inputs["n_leaves"].tolist()
    leaves = [x[s, :n] for s, n in enumerate(n_leaves)]
    left = [inputs["left"][s, : n - 1].tolist() for s, n in enumerate(n_leaves)]
    right = [inputs["right"][s, : n - 1].tolist() for s, n in enumerate(n_leaves)]
    # easeval: glue-end
    model = model.to(device)
    return {
        "model": model,
        "leaves": leaves,
        "left": left,
        "right": right,
        "y": torch.from_numpy(inputs["y"]).to(device),
        "loss_fn": nn.CrossEntropyLoss(),
    }


def run(state):
    model = state["model"]
    model.zero_grad()
    logits = model(state["leaves"], state["left"], state["right"])
    loss = state["loss_fn"](logits, state["y"])
    loss.backward()
    grad_w_compose = model.compose.weight.grad.T  # easeval: glue
    return {
        "logits": logits.detach(),
        "loss": loss.detach(),
        "grad_w_compose": grad_w_compose,
        "grad_b_compose": model.compose.bias.grad,
    }
