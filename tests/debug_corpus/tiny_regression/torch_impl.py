import torch


def setup(inputs, device):
    x = torch.from_numpy(inputs["x"])
    w = torch.from_numpy(inputs["w"]).requires_grad_()
    return {"x": x, "w": w}


def run(state):
    x, w = state["x"], state["w"]
    y = x @ w
    loss = (y**2).mean()
    loss.backward()
    grad = w.grad.clone()
    w.grad = None
    return {"y": y.detach(), "grad": grad}
