import torch


def setup(inputs, device):
    model = torch.nn.Sequential(
        torch.nn.Linear(*inputs["w1"].shape),
        torch.nn.ReLU(),
        torch.nn.Linear(inputs["w2"].shape[0], 1),
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    return {"model": model.to(device), "x": torch.from_numpy(inputs["x"]).to(device)}


@torch.no_grad()
def run(state):
    return state["model"](state["x"])
