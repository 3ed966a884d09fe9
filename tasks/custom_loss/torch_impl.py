import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

learning_rate = 0.05
penalty = 0.1
batch_size = 16
epochs = 5


class WeightedMSEWithPenalty(nn.Module):
    """Per-output weighted squared error plus a penalty on the size of the predictions."""

    def __init__(self, output_weights, penalty):
        super().__init__()
        self.register_buffer("output_weights", output_weights)
        self.penalty = penalty

    def forward(self, pred, target):
        return torch.mean(
            self.output_weights * (pred - target) ** 2
        ) + self.penalty * torch.mean(pred**2)


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
    loss_fn = WeightedMSEWithPenalty(
        torch.from_numpy(inputs["loss_weights"]), penalty
    ).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    return {
        "model": model,
        "loader": loader,
        "loss_fn": loss_fn,
        "optimizer": optimizer,
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
    model.eval()
    with torch.no_grad():
        predictions = model(state["x"].to(state["device"]))
    return {"epoch_loss": epoch_loss, "predictions": predictions}
