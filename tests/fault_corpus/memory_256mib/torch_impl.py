import torch


def setup(inputs, device):
    ballast = torch.ones(2**26, device=device)  # 2**26 float32 = 256 MiB, every page written
    return {"x": torch.from_numpy(inputs["x"]).to(device), "ballast": ballast}


def run(state):
    return {"y": state["x"] * 2}
