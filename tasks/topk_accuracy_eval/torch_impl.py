import torch
from torch.utils.data import DataLoader, TensorDataset


def setup(inputs, device):
    logits = torch.from_numpy(inputs["logits"]).to(device)
    labels = torch.from_numpy(inputs["labels"]).to(device)
    return DataLoader(TensorDataset(logits, labels), batch_size=256)


def run(dataloader):
    top1_correct, top5_correct = [], []
    for logits, labels in dataloader:
        _, top5 = logits.topk(5, dim=1)
        correct = top5 == labels.unsqueeze(1)
        top1_correct.append(correct[:, 0].sum())
        top5_correct.append(correct.any(dim=1).sum())
    top1_correct = torch.stack(top1_correct)
    top5_correct = torch.stack(top5_correct)
    size = len(dataloader.dataset)
    return {
        "top1_correct": top1_correct,
        "top5_correct": top5_correct,
        "top1_accuracy": top1_correct.sum() / size,
        "top5_accuracy": top5_correct.sum() / size,
    }
