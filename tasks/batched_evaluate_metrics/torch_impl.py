import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, classes)
    )
    # easeval: glue-begin
    with torch.no_grad():
        for i, layer in enumerate((model[0], model[2]), start=1):
            layer.weight.copy_(torch.from_numpy(inputs[f"w{i}"].T))
            layer.bias.copy_(torch.from_numpy(inputs[f"b{i}"]))
    # easeval: glue-end
    model = model.to(device)
    x = torch.from_numpy(inputs["x"]).to(device)
    labels = torch.from_numpy(inputs["labels"]).to(device)
    dataloader = DataLoader(TensorDataset(x, labels), batch_size=100)
    return model, dataloader, nn.CrossEntropyLoss()


def run(state):
    model, dataloader, loss_fn = state
    model.eval()
    size = len(dataloader.dataset)
    total_loss, correct = 0.0, 0
    batch_losses = []
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            loss = loss_fn(pred, y)
            batch_losses.append(loss)
            total_loss += loss.item() * len(y)
            correct += (pred.argmax(1) == y).sum().item()
    return {
        "mean_cross_entropy": torch.tensor(total_loss / size),
        "accuracy": torch.tensor(correct / size),
        "batch_losses": torch.stack(batch_losses),
    }
