import torch
from torch import nn


@torch.compile
def forward_and_loss(model, loss_fn, x, y):
    logits = model(x)
    return logits, loss_fn(logits, y)


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
    model.eval()
    x = torch.from_numpy(inputs["x"]).to(device)
    y = torch.from_numpy(inputs["y"]).to(device)
    return {"model": model, "loss_fn": nn.CrossEntropyLoss(), "x": x, "y": y}


def run(state):
    with torch.no_grad():
        logits, loss = forward_and_loss(
            state["model"], state["loss_fn"], state["x"], state["y"]
        )
    return {"logits": logits, "loss": loss}
