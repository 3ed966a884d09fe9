import torch
from torch import nn


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    d_out = inputs["w2"].shape[1]
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.ReLU(), nn.Dropout(p=0.25), nn.Linear(hidden, d_out)
    )
    # easeval: glue-begin
    with torch.no_grad():
        for i, layer in enumerate((model[0], model[3]), start=1):
            layer.weight.copy_(torch.from_numpy(inputs[f"w{i}"].T))
            layer.bias.copy_(torch.from_numpy(inputs[f"b{i}"]))
    # easeval: glue-end
    model = model.to(device)
    x = torch.from_numpy(inputs["x"]).to(device)
    return model, x


def run(state):
    model, x = state
    with torch.no_grad():
        model.eval()
        eval_output = model(x)
        model.train()
        train_hidden = model[:3](x)
        train_output = model[3](train_hidden)
    return {
        "eval_output": eval_output,
        "train_output": train_output,
        "train_hidden": train_hidden,
    }
