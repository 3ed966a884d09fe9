import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

learning_rate = 0.05
momentum = 0.9
batch_size = 16
epochs_before = 2
epochs_after = 2


def build_model(d_in, hidden, d_out):
    return nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, d_out))


def setup(inputs, device):
    x, y = torch.from_numpy(inputs["x"]), torch.from_numpy(inputs["y"])
    return {
        "inputs": inputs,  # easeval: glue
        "sizes": (x.shape[1], inputs["w1"].shape[1], y.shape[1]),
        "loader": DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False),
        "loss_fn": nn.MSELoss(),
        "x": x,
        "path": os.path.join(tempfile.mkdtemp(), "checkpoint.pt"),
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
    loader, loss_fn, device, path = (
        state["loader"],
        state["loss_fn"],
        state["device"],
        state["path"],
    )
    model = build_model(*state["sizes"])
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(state["inputs"]["w1"].T))
        model[0].bias.copy_(torch.from_numpy(state["inputs"]["b1"]))
        model[2].weight.copy_(torch.from_numpy(state["inputs"]["w2"].T))
        model[2].bias.copy_(torch.from_numpy(state["inputs"]["b2"]))
    # easeval: glue-end
    model = model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=momentum)
    epoch_loss = [
        train_loop(loader, model, loss_fn, optimizer, device)
        for _ in range(epochs_before)
    ]
    torch.save(
        {
            "epoch": epochs_before,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
        },
        path,
    )

    # Resume in fresh objects, as a new process would.
    model = build_model(*state["sizes"]).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=momentum)
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    for epoch in range(checkpoint["epoch"], epochs_before + epochs_after):
        epoch_loss.append(train_loop(loader, model, loss_fn, optimizer, device))
    model.eval()
    with torch.no_grad():
        predictions = model(state["x"].to(device))
    return {"epoch_loss": epoch_loss, "predictions": predictions}
