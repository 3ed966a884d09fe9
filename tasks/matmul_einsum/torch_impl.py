import torch


def setup(inputs, device):
    return {name: torch.from_numpy(array).to(device) for name, array in inputs.items()}


def run(t):
    product = t["a"] @ t["b"]
    bilinear = torch.einsum("bi,ij,bj->b", t["x"], t["w"], t["y"])
    return {"product": product, "bilinear": bilinear}
