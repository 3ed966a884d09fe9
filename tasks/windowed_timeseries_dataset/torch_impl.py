import torch
from torch.utils.data import DataLoader, Dataset


class WindowDataset(Dataset):
    """Example i: rows i .. i + window - 1 as input, feature 0 of row i + window as target."""

    def __init__(self, series, window):
        self.series = series
        self.window = window

    def __len__(self):
        return len(self.series) - self.window

    def __getitem__(self, idx):
        inputs = self.series[idx : idx + self.window]
        target = self.series[idx + self.window, 0]
        return inputs, target


def setup(inputs, device):
    dataset = WindowDataset(torch.from_numpy(inputs["series"]), int(inputs["window"]))
    loader = DataLoader(dataset, batch_size=int(inputs["batch"]), shuffle=False)
    return {"loader": loader, "device": device}


def run(state):
    device = state["device"]
    inputs, targets, batch_sizes = [], [], []
    for X, y in state["loader"]:
        X, y = X.to(device), y.to(device)
        inputs.append(X)
        targets.append(y)
        batch_sizes.append(X.shape[0])
    return {
        "inputs": torch.cat(inputs),
        "targets": torch.cat(targets),
        "batch_sizes": batch_sizes,
    }
