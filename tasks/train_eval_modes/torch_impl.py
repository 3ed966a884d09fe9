import torch
from torch import nn

dropout_rate = 0.5
# weight of the new batch statistics in the running ones (PyTorch's default)
bn_momentum = 0.1


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.BatchNorm1d(hidden, momentum=bn_momentum),
        nn.ReLU(),
        nn.Dropout(dropout_rate),
        nn.Linear(hidden, inputs["w2"].shape[1]),
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[1].weight.copy_(torch.from_numpy(inputs["gamma"]))
        model[1].bias.copy_(torch.from_numpy(inputs["beta"]))
        model[1].running_mean.copy_(torch.from_numpy(inputs["running_mean"]))
        model[1].running_var.copy_(torch.from_numpy(inputs["running_var"]))
        model[4].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[4].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    return {"model": model, "x": torch.from_numpy(inputs["x"]).to(device)}


def run(state):
    model, x = state["model"], state["x"]
    batch_norm, dropout = model[1], model[3]
    ones = torch.ones(x.shape[0], batch_norm.num_features, device=x.device)
    with torch.no_grad():
        model.eval()  # BatchNorm uses its running statistics, Dropout is the identity
        eval_output = model(x)
        dropout_eval = dropout(ones)
        # BatchNorm uses (and updates running statistics from) the batch, Dropout drops
        model.train()
        train_output = model(x)
        dropout_train = dropout(ones)
    return {
        "eval_output": eval_output,
        "train_output": train_output,
        "running_mean": batch_norm.running_mean.clone(),
        "running_var": batch_norm.running_var.clone(),
        "dropout_eval": dropout_eval,
        "dropout_train": dropout_train,
    }
