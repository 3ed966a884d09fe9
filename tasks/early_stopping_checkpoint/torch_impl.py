import copy
import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

learning_rate = 0.2
batch_size = 16
max_epochs = 100
patience = 3


def setup(inputs, device):
    x_train, y_train = (
        torch.from_numpy(inputs["x_train"]),
        torch.from_numpy(inputs["y_train"]),
    )
    x_val, y_val = torch.from_numpy(inputs["x_val"]), torch.from_numpy(inputs["y_val"])
    hidden = inputs["w1"].shape[1]
    model = nn.Sequential(
        nn.Linear(x_train.shape[1], hidden),
        nn.ReLU(),
        nn.Linear(hidden, y_train.shape[1]),
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    initial_state = copy.deepcopy(model.state_dict())  # easeval: glue
    return {
        "model": model,
        "initial_state": initial_state,
        "train_loader": DataLoader(
            TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=False
        ),
        "val_loader": DataLoader(TensorDataset(x_val, y_val), batch_size=batch_size),
        "loss_fn": nn.MSELoss(),
        "optimizer": torch.optim.SGD(model.parameters(), lr=learning_rate),
        "x_val": x_val,
        "checkpoint_dir": tempfile.mkdtemp(),
        "device": device,
    }


def train_loop(dataloader, model, loss_fn, optimizer, device):
    model.train()
    for xb, yb in dataloader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


def test_loop(dataloader, model, loss_fn, device):
    model.eval()
    test_loss = 0.0
    with torch.no_grad():
        for xb, yb in dataloader:
            xb, yb = xb.to(device), yb.to(device)
            test_loss += loss_fn(model(xb), yb).item()
    return test_loss / len(dataloader)


def run(state):
    model, loss_fn, device = state["model"], state["loss_fn"], state["device"]
    model.load_state_dict(state["initial_state"])  # easeval: glue
    optimizer = state["optimizer"]
    checkpoint_path = os.path.join(state["checkpoint_dir"], "best_model.pt")
    best_loss, epochs_without_improvement = float("inf"), 0
    val_history = []
    for epoch in range(max_epochs):
        train_loop(state["train_loader"], model, loss_fn, optimizer, device)
        val_loss = test_loop(state["val_loader"], model, loss_fn, device)
        val_history.append(val_loss)
        if val_loss < best_loss:
            best_loss, epochs_without_improvement = val_loss, 0
            torch.save(model.state_dict(), checkpoint_path)
        else:
            epochs_without_improvement += 1
            if epochs_without_improvement >= patience:
                break
    model.load_state_dict(torch.load(checkpoint_path, weights_only=True))
    model.eval()
    with torch.no_grad():
        predictions = model(state["x_val"].to(device))
    return {"stopped_epoch": epoch, "val_loss": val_history, "predictions": predictions}
