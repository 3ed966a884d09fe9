import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

learning_rate = 0.05
momentum = 0.875
batch_size = 32
epochs = 5


def setup(inputs, device):
    # torch.from_numpy keeps NumPy's dtype: these tensors are float64.
    x = torch.from_numpy(inputs["x"])
    y = torch.from_numpy(inputs["y"])
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.Tanh(), nn.Linear(hidden, y.shape[1])
    )
    # Layers are created in float32 (the default dtype); cast this model's parameters to float64.
    model = model.to(device=device, dtype=torch.float64)
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False)
    loss_fn = nn.MSELoss()
    # The momentum buffers are created like the parameters: float64.
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=momentum)
    return {
        "model": model,
        "loader": loader,
        "loss_fn": loss_fn,
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
