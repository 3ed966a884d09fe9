import torch
from torch import nn

learning_rate = 0.1
max_norm = 0.5


def setup(inputs, device):
    model = nn.Sequential(
        nn.Linear(inputs["w1"].shape[0], inputs["w1"].shape[1]),
        nn.ReLU(),
        nn.Linear(inputs["w2"].shape[0], inputs["w2"].shape[1]),
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    return {
        "model": model,
        "loss_fn": nn.MSELoss(),
        "optimizer": torch.optim.SGD(model.parameters(), lr=learning_rate),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "y": torch.from_numpy(inputs["y"]).to(device),
    }


def run(state):
    model, optimizer = state["model"], state["optimizer"]
    optimizer.zero_grad()
    loss = state["loss_fn"](model(state["x"]), state["y"])
    loss.backward()
    grad_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    # easeval: glue-begin
    weights = [p.detach().T if p.ndim == 2 else p.detach() for p in model.parameters()]
    # easeval: glue-end
    return {"grad_norm": grad_norm, "weights": weights}
