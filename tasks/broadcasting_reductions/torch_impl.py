import torch


def setup(inputs, device):
    return {name: torch.from_numpy(array).to(device) for name, array in inputs.items()}


def run(t):
    x, centers, logits = t["x"], t["centers"], t["logits"]
    mean = x.mean(dim=0, keepdim=True)
    std = x.std(dim=0, keepdim=True, correction=0)
    sq_distances = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(dim=2)
    return {
        "standardized": (x - mean) / std,
        "sq_distances": sq_distances,
        "nearest_center": sq_distances.argmin(dim=1),
        "row_sum": x.sum(dim=1),
        "row_mean_keepdims": x.mean(dim=1, keepdim=True),
        "column_max": x.max(dim=0).values,
        "row_argmax": logits.argmax(dim=1),
        "logsumexp": torch.logsumexp(logits, dim=1),
    }
