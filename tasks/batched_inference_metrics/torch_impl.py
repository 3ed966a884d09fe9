import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

batch_size = 256


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, classes)
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    dataset = TensorDataset(
        torch.from_numpy(inputs["x"]), torch.from_numpy(inputs["labels"])
    )
    loader = DataLoader(dataset, batch_size=batch_size)
    return {
        "model": model,
        "loader": loader,
        "loss_fn": nn.CrossEntropyLoss(),
        "classes": classes,
        "device": device,
    }


def test_loop(dataloader, model, loss_fn, classes, device):
    model.eval()
    size, num_batches = len(dataloader.dataset), len(dataloader)
    test_loss, correct = 0.0, 0.0
    confusion = torch.zeros(classes, classes, dtype=torch.int64, device=device)
    with torch.no_grad():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            predicted = pred.argmax(1)
            correct += (predicted == y).type(torch.float).sum().item()
            # rows: true class, columns: predicted class
            confusion += torch.bincount(
                y * classes + predicted, minlength=classes * classes
            ).reshape(classes, classes)
    return correct / size, test_loss / num_batches, confusion


def run(state):
    accuracy, mean_loss, confusion = test_loop(
        state["loader"],
        state["model"],
        state["loss_fn"],
        state["classes"],
        state["device"],
    )
    return {
        "accuracy": accuracy,
        "mean_cross_entropy": mean_loss,
        "confusion_matrix": confusion,
    }
