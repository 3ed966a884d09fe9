import torch
from torch.utils.data import DataLoader, Dataset, Subset

batch_size = 16


class FeatureDataset(Dataset):
    def __init__(self, features, labels, mean, std):
        self.features = features
        self.labels = labels
        self.mean = mean
        self.std = std

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        x = self.features[idx]
        standardised = (x - self.mean) / self.std
        norm = torch.linalg.vector_norm(x)
        return standardised, norm, self.labels[idx]


def setup(inputs, device):
    labels = torch.from_numpy(inputs["labels"])
    dataset = FeatureDataset(
        torch.from_numpy(inputs["x"]),
        labels,
        torch.from_numpy(inputs["mean"]),
        torch.from_numpy(inputs["std"]),
    )
    return {"dataset": dataset, "labels": labels, "device": device}


def run(state):
    # Map-style datasets filter by index: keep every example not of class 0.
    kept = Subset(
        state["dataset"], torch.nonzero(state["labels"] != 0).flatten().tolist()
    )
    loader = DataLoader(kept, batch_size=batch_size, shuffle=False, drop_last=True)
    feature_mean, norm_max = [], []
    for standardised, norm, _ in loader:
        standardised, norm = standardised.to(state["device"]), norm.to(state["device"])
        feature_mean.append(standardised.mean(dim=0))
        norm_max.append(norm.max())
    return {
        "feature_mean": torch.stack(feature_mean),
        "norm_max": torch.stack(norm_max),
    }
