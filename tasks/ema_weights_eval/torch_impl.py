import copy

import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import DataLoader, TensorDataset

learning_rate = 0.1
ema_decay = 0.9
batch_size = 16
epochs = 5
eval_batch_size = 64


def setup(inputs, device):
    x_train, y_train = (
        torch.from_numpy(inputs["x_train"]),
        torch.from_numpy(inputs["y_train"]),
    )
    x_test, y_test = (
        torch.from_numpy(inputs["x_test"]),
        torch.from_numpy(inputs["y_test"]),
    )
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, inputs["w2"].shape[1])
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    initial_state = copy.deepcopy(model.state_dict())  # easeval: glue
    # The EMA model keeps its own copy of the weights; update_parameters() averages the model into it.
    ema_model = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(ema_decay))
    return {
        "model": model,
        "ema_model": ema_model,
        "initial_state": initial_state,
        "train_loader": DataLoader(
            TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=False
        ),
        "test_loader": DataLoader(
            TensorDataset(x_test, y_test), batch_size=eval_batch_size
        ),
        "loss_fn": nn.CrossEntropyLoss(),
        "optimizer": torch.optim.SGD(model.parameters(), lr=learning_rate),
        "device": device,
    }


def train_loop(dataloader, model, ema_model, loss_fn, optimizer, device):
    model.train()
    total = 0.0
    for xb, yb in dataloader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        ema_model.update_parameters(model)  # right after the optimizer step
        total += loss.item()
    return total / len(dataloader)


def test_loop(dataloader, model, loss_fn, device):
    model.eval()
    test_loss = 0.0
    with torch.no_grad():
        for xb, yb in dataloader:
            xb, yb = xb.to(device), yb.to(device)
            test_loss += loss_fn(model(xb), yb).item()
    return test_loss / len(dataloader)


def run(state):
    model, ema_model, loss_fn, device = (
        state["model"],
        state["ema_model"],
        state["loss_fn"],
        state["device"],
    )
    # easeval: glue-begin
    model.load_state_dict(state["initial_state"])
    # the next update_parameters() copies the weights, as on a fresh AveragedModel
    ema_model.n_averaged.zero_()
    # easeval: glue-end
    epoch_loss = [
        train_loop(
            state["train_loader"], model, ema_model, loss_fn, state["optimizer"], device
        )
        for _ in range(epochs)
    ]
    eval_loss = test_loop(state["test_loader"], ema_model, loss_fn, device)
    # easeval: glue-begin
    ema_weights = [
        p.detach().T if p.ndim == 2 else p.detach()
        for p in ema_model.module.parameters()
    ]
    # easeval: glue-end
    return {
        "epoch_loss": epoch_loss,
        "ema_weights": ema_weights,
        "eval_loss": eval_loss,
    }
