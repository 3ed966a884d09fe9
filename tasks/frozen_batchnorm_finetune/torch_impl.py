import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

learning_rate = 0.01
batch_size = 32
epochs = 3


def setup(inputs, device):
    x = torch.from_numpy(inputs["x"])
    # int64 class indices, as CrossEntropyLoss expects
    labels = torch.from_numpy(inputs["labels"])
    d_in, hidden = inputs["w1"].shape
    classes = inputs["w2"].shape[1]
    backbone = nn.Sequential(nn.Linear(d_in, hidden), nn.BatchNorm1d(hidden), nn.ReLU())
    # easeval: glue-begin
    with torch.no_grad():
        backbone[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        backbone[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        backbone[1].weight.copy_(torch.from_numpy(inputs["gamma"]))
        backbone[1].bias.copy_(torch.from_numpy(inputs["beta"]))
        backbone[1].running_mean.copy_(torch.from_numpy(inputs["running_mean"]))
        backbone[1].running_var.copy_(torch.from_numpy(inputs["running_var"]))
    # easeval: glue-end
    # Freeze the pretrained backbone: no gradients for its parameters.
    backbone.requires_grad_(False)
    head = nn.Linear(hidden, classes)  # the new head; its parameters require gradients
    # easeval: glue-begin
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(inputs["w2"].T))
        head.bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = nn.Sequential(backbone, head).to(device)
    return {
        "model": model,
        "backbone": backbone,
        "head": head,
        "loader": DataLoader(
            TensorDataset(x, labels), batch_size=batch_size, shuffle=False
        ),
        "loss_fn": nn.CrossEntropyLoss(),
        # only the head is optimized
        "optimizer": torch.optim.SGD(head.parameters(), lr=learning_rate),
        "x_test": torch.from_numpy(inputs["x_test"]).to(device),
        "device": device,
    }


def train_loop(dataloader, model, backbone, loss_fn, optimizer, device):
    model.train()
    # requires_grad_(False) does not stop BatchNorm from normalizing with the batch statistics and
    # updating its running ones in training mode: put the frozen backbone back in evaluation mode.
    backbone.eval()
    for xb, yb in dataloader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


def run(state):
    model, backbone, head = state["model"], state["backbone"], state["head"]
    for _ in range(epochs):
        train_loop(
            state["loader"],
            model,
            backbone,
            state["loss_fn"],
            state["optimizer"],
            state["device"],
        )
    model.eval()
    with torch.no_grad():
        test_logits = model(state["x_test"])
    head_kernel = head.weight.detach().T  # easeval: glue
    batch_norm = backbone[1]
    return {
        "head_kernel": head_kernel,
        "head_bias": head.bias.detach(),
        "running_mean": batch_norm.running_mean,
        "running_var": batch_norm.running_var,
        "test_logits": test_logits,
    }
