import torch

tolerance = 1e-4
max_steps = 1000


@torch.compile
def power_iteration(a, v):
    v = v / torch.linalg.norm(v)
    av = a @ v
    eigenvalue = torch.dot(v, av)
    steps = 0
    while (
        torch.linalg.norm(av - eigenvalue * v) > tolerance * torch.abs(eigenvalue)
        and steps < max_steps
    ):
        v = av / torch.linalg.norm(av)
        av = a @ v
        eigenvalue = torch.dot(v, av)
        steps += 1
    # An eigenvector's sign is arbitrary: make its largest entry positive.
    if v[torch.argmax(torch.abs(v))] < 0:
        v = -v
    return eigenvalue, v, steps


def setup(inputs, device):
    return {
        "a": torch.from_numpy(inputs["a"]).to(device),
        "v0": torch.from_numpy(inputs["v0"]).to(device),
    }


def run(state):
    eigenvalue, eigenvector, steps = power_iteration(state["a"], state["v0"])
    return {"eigenvalue": eigenvalue, "eigenvector": eigenvector, "steps": steps}
