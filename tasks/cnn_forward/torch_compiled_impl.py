import torch
from torch import nn


def setup(inputs, device):
    c_in, c1 = inputs["conv1_kernel"].shape[2:]
    c2, classes = inputs["dense_kernel"].shape
    model = nn.Sequential(
        nn.Conv2d(c_in, c1, kernel_size=3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, kernel_size=3),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),  # global average pool over height and width
        nn.Flatten(),
        nn.Linear(c2, classes),
    )
    # easeval: glue-begin
    # shared weights: conv kernels (kh, kw, in, out) -> (out, in, kh, kw)
    with torch.no_grad():
        model[0].weight.copy_(
            torch.from_numpy(inputs["conv1_kernel"]).permute(3, 2, 0, 1)
        )
        model[0].bias.copy_(torch.from_numpy(inputs["conv1_bias"]))
        model[3].weight.copy_(
            torch.from_numpy(inputs["conv2_kernel"]).permute(3, 2, 0, 1)
        )
        model[3].bias.copy_(torch.from_numpy(inputs["conv2_bias"]))
        model[7].weight.copy_(torch.from_numpy(inputs["dense_kernel"].T))
        model[7].bias.copy_(torch.from_numpy(inputs["dense_bias"]))
    # easeval: glue-end
    # compiles forward and backward on the first call
    model = torch.compile(model.to(device))
    # NHWC, as stored
    images = torch.from_numpy(inputs["images"]).to(device).requires_grad_()
    labels = torch.from_numpy(inputs["labels"]).to(device)
    return {
        "model": model,
        "images": images,
        "labels": labels,
        "loss_fn": nn.CrossEntropyLoss(),
    }


def run(state):
    images = state["images"]
    images.grad = None  # gradients accumulate across backward() calls
    # PyTorch convolutions expect NCHW
    logits = state["model"](images.permute(0, 3, 1, 2))
    loss = state["loss_fn"](logits, state["labels"])
    loss.backward()
    return {"logits": logits.detach(), "loss": loss.detach(), "input_grad": images.grad}
