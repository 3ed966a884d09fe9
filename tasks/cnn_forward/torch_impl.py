import torch
import torch.nn.functional as F
from torch import nn


class ConvNet(nn.Module):
    def __init__(self, c_in, c1, c2, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c1, kernel_size=3, padding="same")
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3)
        self.fc = nn.Linear(c2, classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = F.relu(self.conv2(x))
        x = torch.mean(x, dim=(2, 3))  # global average pool over height and width
        return self.fc(x)


def setup(inputs, device):
    c_in, c1 = inputs["conv1_kernel"].shape[2:]
    c2, classes = inputs["dense_kernel"].shape
    model = ConvNet(c_in, c1, c2, classes)
    # easeval: glue-begin
    with torch.no_grad():  # shared weights: conv kernels (kh, kw, in, out) -> (out, in, kh, kw)
        model.conv1.weight.copy_(torch.from_numpy(inputs["conv1_kernel"]).permute(3, 2, 0, 1))
        model.conv1.bias.copy_(torch.from_numpy(inputs["conv1_bias"]))
        model.conv2.weight.copy_(torch.from_numpy(inputs["conv2_kernel"]).permute(3, 2, 0, 1))
        model.conv2.bias.copy_(torch.from_numpy(inputs["conv2_bias"]))
        model.fc.weight.copy_(torch.from_numpy(inputs["dense_kernel"].T))
        model.fc.bias.copy_(torch.from_numpy(inputs["dense_bias"]))
    # easeval: glue-end
    model = model.to(device)
    images = torch.from_numpy(inputs["images"]).to(device).requires_grad_()  # NHWC, as stored
    labels = torch.from_numpy(inputs["labels"]).to(device)
    return {"model": model, "images": images, "labels": labels, "loss_fn": nn.CrossEntropyLoss()}


def run(state):
    images = state["images"]
    images.grad = None  # gradients accumulate across backward() calls
    logits = state["model"](images.permute(0, 3, 1, 2))  # PyTorch convolutions expect NCHW
    loss = state["loss_fn"](logits, state["labels"])
    loss.backward()
    return {"logits": logits.detach(), "loss": loss.detach(), "input_grad": images.grad}
