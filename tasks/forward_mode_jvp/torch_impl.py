import torch
from torch import nn
from torch.func import functional_call, jvp


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.Tanh(), nn.Linear(hidden, inputs["w2"].shape[1])
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # shared tangents are laid out (in, out), as the weights; PyTorch's weights are (out, in)
    w1_tangent = inputs["w1_tangent"].T.copy()
    w2_tangent = inputs["w2_tangent"].T.copy()
    # easeval: glue-end
    tangents = {
        "0.weight": w1_tangent,
        "0.bias": inputs["b1_tangent"],
        "2.weight": w2_tangent,
        "2.bias": inputs["b2_tangent"],
    }
    return {
        "model": model.to(device),
        "loss_fn": nn.MSELoss(),
        "x": torch.from_numpy(inputs["x"]).to(device),
        "y": torch.from_numpy(inputs["y"]).to(device),
        "x_tangent": torch.from_numpy(inputs["x_tangent"]).to(device),
        "param_tangents": {
            name: torch.from_numpy(t).to(device) for name, t in tangents.items()
        },
    }


def run(state):
    model, loss_fn, x, y = state["model"], state["loss_fn"], state["x"], state["y"]
    outputs, input_jvp = jvp(model, (x,), (state["x_tangent"],))

    def loss_of_params(params):
        return loss_fn(functional_call(model, params, (x,)), y)

    params = {name: p.detach() for name, p in model.named_parameters()}
    loss, param_jvp = jvp(loss_of_params, (params,), (state["param_tangents"],))
    return {
        "outputs": outputs,
        "input_jvp": input_jvp,
        "loss": loss,
        "param_jvp": param_jvp,
    }
