import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

learning_rate = 0.05
momentum = 0.9
step_size = 2
gamma = 0.5
batch_size = 16
epochs = 6


def setup(inputs, device):
    x = torch.from_numpy(inputs["x"])
    y = torch.from_numpy(inputs["y"])
    hidden = inputs["w1"].shape[1]
    model = nn.Sequential(
        nn.Linear(x.shape[1], hidden), nn.ReLU(), nn.Linear(hidden, y.shape[1])
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=momentum)
    scheduler = torch.optim.lr_scheduler.StepLR(
        optimizer, step_size=step_size, gamma=gamma
    )
    return {
        "model": model,
        "loader": loader,
        "loss_fn": nn.MSELoss(),
        "optimizer": optimizer,
        "scheduler": scheduler,
        "x": x,
        "device": device,
    }


def train_loop(dataloader, model, loss_fn, optimizer, device):
    model.train()
    total = 0.0
    for xb, yb in dataloader:
        xb, yb = xb.to(device), yb.to(device)
        pred = model(xb)
        loss = loss_fn(pred, yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        total += loss.item()
    return total / len(dataloader)


def run(state):
    model, optimizer, scheduler = state["model"], state["optimizer"], state["scheduler"]
    epoch_loss, epoch_lr = [], []
    for _ in range(epochs):
        epoch_lr.append(scheduler.get_last_lr()[0])
        epoch_loss.append(
            train_loop(
                state["loader"], model, state["loss_fn"], optimizer, state["device"]
            )
        )
        scheduler.step()
    model.eval()
    with torch.no_grad():
        predictions = model(state["x"].to(state["device"]))
    return {
        "epoch_loss": epoch_loss,
        "learning_rate": epoch_lr,
        "predictions": predictions,
    }
