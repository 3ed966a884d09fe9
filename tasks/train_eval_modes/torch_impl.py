import torch
from torch import nn

dropout_rate = 0.5
bn_momentum = 0.1  # weight of the new batch statistics in the running ones (PyTorch's default)


class NeuralNetwork(nn.Module):
    def __init__(self, d_in, hidden, d_out):
        super().__init__()
        self.fc1 = nn.Linear(d_in, hidden)
        self.bn = nn.BatchNorm1d(hidden, momentum=bn_momentum)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(dropout_rate)
        self.fc2 = nn.Linear(hidden, d_out)

    def forward(self, x):
        return self.fc2(self.dropout(self.relu(self.bn(self.fc1(x)))))


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = NeuralNetwork(d_in, hidden, inputs["w2"].shape[1])
    # easeval: glue-begin
    with torch.no_grad():
        model.fc1.weight.copy_(torch.from_numpy(inputs["w1"].T))
        model.fc1.bias.copy_(torch.from_numpy(inputs["b1"]))
        model.bn.weight.copy_(torch.from_numpy(inputs["gamma"]))
        model.bn.bias.copy_(torch.from_numpy(inputs["beta"]))
        model.bn.running_mean.copy_(torch.from_numpy(inputs["running_mean"]))
        model.bn.running_var.copy_(torch.from_numpy(inputs["running_var"]))
        model.fc2.weight.copy_(torch.from_numpy(inputs["w2"].T))
        model.fc2.bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    return {"model": model, "x": torch.from_numpy(inputs["x"]).to(device)}


def run(state):
    model, x = state["model"], state["x"]
    ones = torch.ones(x.shape[0], model.bn.num_features, device=x.device)
    with torch.no_grad():
        model.eval()  # BatchNorm uses its running statistics, Dropout is the identity
        eval_output = model(x)
        dropout_eval = model.dropout(ones)
        model.train()  # BatchNorm uses (and updates running statistics from) the batch, Dropout drops
        train_output = model(x)
        dropout_train = model.dropout(ones)
    return {
        "eval_output": eval_output,
        "train_output": train_output,
        "running_mean": model.bn.running_mean.clone(),
        "running_var": model.bn.running_var.clone(),
        "dropout_eval": dropout_eval,
        "dropout_train": dropout_train,
    }
