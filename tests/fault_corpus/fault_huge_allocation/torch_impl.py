import torch


def setup(inputs, device):
    return {"x": torch.from_numpy(inputs["x"])}


def run(state):
    ballast = torch.ones(2**30)  # 4 GiB of float32
    return {"y": state["x"] * 2 + ballast[: state["x"].shape[0]] - 1}
