import torch


def softmax(logits):
    return torch.softmax(torch.as_tensor(logits), dim=-1)
