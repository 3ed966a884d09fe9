import torch
from torch import nn

learning_rate = 0.05
momentum = 0.9


def train_step(model, loss_fn, optimizer, x, y):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.detach()


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
    batch_size = int(inputs["batch_size"])
    x = torch.from_numpy(inputs["x"]).to(device)
    y = torch.from_numpy(inputs["y"]).to(device)
    return {
        "model": model,
        "loss_fn": nn.CrossEntropyLoss(),
        "optimizer": torch.optim.SGD(
            model.parameters(), lr=learning_rate, momentum=momentum
        ),
        "batches": list(zip(x.split(batch_size), y.split(batch_size))),
    }


def run(state):
    model = state["model"]
    model.train()
    losses = [
        train_step(model, state["loss_fn"], state["optimizer"], x, y)
        for x, y in state["batches"]
    ]
    weights = [parameter.detach() for parameter in model.parameters()]
    weights = [w.T if w.ndim == 2 else w for w in weights]  # easeval: glue
    return {"losses": losses, "weights": weights}
