import torch
from torch.utils.data import DataLoader, Subset, TensorDataset


def setup(inputs, device):
    features = torch.from_numpy(inputs["features"]).to(device)
    labels = torch.from_numpy(inputs["labels"]).to(device)
    return {
        "dataset": TensorDataset(features, labels),
        "keep_labels": torch.from_numpy(inputs["keep_labels"]).to(device),
        "scale": torch.from_numpy(inputs["scale"]).to(device),
    }


def run(state):
    dataset = state["dataset"]
    _, labels = dataset.tensors
    kept = torch.isin(labels, state["keep_labels"]).nonzero().squeeze(1)
    dataloader = DataLoader(Subset(dataset, kept.tolist()), batch_size=64)
    feature_sums, counts = [], []
    for features, _ in dataloader:
        mapped = features * state["scale"]
        feature_sums.append(mapped.sum(dim=0))
        counts.append(len(mapped))
    return {"feature_sums": torch.stack(feature_sums), "counts": torch.tensor(counts)}
