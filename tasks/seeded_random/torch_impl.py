import torch

seed = 2024


def setup(inputs, device):
    return {"n": int(inputs["n"]), "device": device}


def draw(n, device):
    generator = torch.Generator(device=device).manual_seed(seed)
    return {
        "normal": torch.randn(n, generator=generator, device=device),
        "uniform": torch.rand(n, generator=generator, device=device),
        "permutation": torch.randperm(n, generator=generator, device=device),
    }


def run(state):
    return {
        "first": draw(state["n"], state["device"]),
        "second": draw(state["n"], state["device"]),
    }
