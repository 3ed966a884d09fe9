import torch


def setup(inputs, device):
    return {
        "train": torch.from_numpy(inputs["train"]).to(device),
        "val": torch.from_numpy(inputs["val"]).to(device),
    }


def normalize(data, mean, std):
    return torch.cat([(batch - mean) / std for batch in data.split(256)])


def run(splits):
    train = splits["train"]
    mean = train.mean(dim=0)
    std = train.std(dim=0, correction=0)
    return {
        "mean": mean,
        "std": std,
        "train": normalize(train, mean, std),
        "val": normalize(splits["val"], mean, std),
    }
