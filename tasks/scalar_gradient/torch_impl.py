import torch


def setup(inputs, device):
    x = torch.from_numpy(inputs["x"]).to(device)
    w = torch.from_numpy(inputs["w"]).to(device).requires_grad_()
    return {"x": x, "w": w, "l2": float(inputs["l2"])}


def run(state):
    x, w = state["x"], state["w"]
    w.grad = None  # gradients accumulate across backward() calls
    loss = torch.tanh(x @ w).pow(2).mean() + 0.5 * state["l2"] * w.pow(2).sum()
    loss.backward()
    return {"value": loss.detach(), "grad": w.grad}
