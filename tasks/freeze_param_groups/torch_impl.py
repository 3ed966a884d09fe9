import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

body_lr = 0.01
head_lr = 0.1
batch_size = 16
epochs = 3


def setup(inputs, device):
    x = torch.from_numpy(inputs["x"])
    y = torch.from_numpy(inputs["y"])
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, y.shape[1]),
    )
    # easeval: glue-begin
    with torch.no_grad():
        for i, layer in zip((1, 2, 3), (model[0], model[2], model[4])):
            layer.weight.copy_(torch.from_numpy(inputs[f"w{i}"].T))
            layer.bias.copy_(torch.from_numpy(inputs[f"b{i}"]))
    # easeval: glue-end
    model = model.to(device)
    # Freeze the first layer; the other two are parameter groups with their own learning rates.
    model[0].requires_grad_(False)
    optimizer = torch.optim.SGD(
        [
            {"params": model[2].parameters(), "lr": body_lr},
            {"params": model[4].parameters()},
        ],
        lr=head_lr,
    )
    return {
        "model": model,
        "loader": DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False),
        "loss_fn": nn.MSELoss(),
        "optimizer": optimizer,
        "device": device,
    }


def train_loop(dataloader, model, loss_fn, optimizer, device):
    model.train()
    total = 0.0
    for xb, yb in dataloader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        total += loss.item()
    return total / len(dataloader)


def run(state):
    model = state["model"]
    epoch_loss = [
        train_loop(
            state["loader"],
            model,
            state["loss_fn"],
            state["optimizer"],
            state["device"],
        )
        for _ in range(epochs)
    ]
    # easeval: glue-begin
    weights = [p.detach().T if p.ndim == 2 else p.detach() for p in model.parameters()]
    # easeval: glue-end
    return {"epoch_loss": epoch_loss, "weights": weights}
