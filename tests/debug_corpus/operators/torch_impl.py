import torch
from torch import nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))

    def forward(self, x):
        return self.stack(x)


@torch.compile
def scores(a, b):
    product = a @ b
    return F.relu(product)


def setup(inputs, device):
    x = torch.from_numpy(inputs["x"]).to(device)
    model = Net().to(device)
    model.stack[0].weight.copy_(torch.from_numpy(inputs["w"]).to(device))  # easeval: glue
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    return {"x": x, "model": model, "optimizer": optimizer}


def run(state):
    x, model, optimizer = state["x"], state["model"], state["optimizer"]
    model.train()
    loss = model(x).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    model.eval()
    flat = x.view(2, 6)
    totals = flat.sum(dim=1)
    first = x[:, :2]
    safe = torch.log1p(totals)
    return {"flat": flat, "totals": totals, "first": first, "safe": safe, "scores": scores(x, x.mT)}


def train(model, x, y):
    loss_fn = nn.MSELoss()
    criterion = nn.CrossEntropyLoss()
    probs = F.softmax(x, dim=1)
    loss = loss_fn(model(x), y)
    x.requires_grad_()
    return loss.item(), criterion(probs, y)
