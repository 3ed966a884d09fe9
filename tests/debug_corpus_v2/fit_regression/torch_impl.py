import torch
from torch import nn


def setup(inputs, device):
    x = torch.from_numpy(inputs["x"])
    y = torch.from_numpy(inputs["y"]).reshape(-1, 1)
    model = nn.Linear(x.shape[1], 1)
    # easeval: glue-begin
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(inputs["w0"].T))
        model.bias.copy_(torch.from_numpy(inputs["b0"]))
    # easeval: glue-end
    return {"x": x, "y": y, "model": model}


def run(state):
    x, y, model = state["x"], state["y"], state["model"]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()
    for _ in range(5):
        optimizer.zero_grad()
        prediction = model(x)
        loss = loss_fn(prediction, y)
        loss.backward()
        optimizer.step()
    return {"w": model.weight.detach().T, "b": model.bias.detach()}
