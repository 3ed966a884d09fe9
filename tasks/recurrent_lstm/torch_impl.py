import torch
from torch import nn


class SequenceRegressor(nn.Module):
    def __init__(self, features, hidden, outputs):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, batch_first=True)
        self.head = nn.Linear(hidden, outputs)

    def forward(self, x):
        output, (h_n, c_n) = self.lstm(x)
        return self.head(h_n[-1])  # last hidden state of the (only) layer


def setup(inputs, device):
    features, hidden = inputs["w_x"].shape[0], inputs["w_h"].shape[0]
    model = SequenceRegressor(features, hidden, inputs["head_w"].shape[1])
    # easeval: glue-begin
    # shared weights are (in, 4*hidden); PyTorch stores (4*hidden, in)
    with torch.no_grad():
        model.lstm.weight_ih_l0.copy_(torch.from_numpy(inputs["w_x"].T))
        model.lstm.weight_hh_l0.copy_(torch.from_numpy(inputs["w_h"].T))
        model.lstm.bias_ih_l0.copy_(torch.from_numpy(inputs["b_x"]))
        model.lstm.bias_hh_l0.copy_(torch.from_numpy(inputs["b_h"]))
        model.head.weight.copy_(torch.from_numpy(inputs["head_w"].T))
        model.head.bias.copy_(torch.from_numpy(inputs["head_b"]))
    # easeval: glue-end
    model = model.to(device)
    x = torch.from_numpy(inputs["x"]).to(device).requires_grad_()
    y = torch.from_numpy(inputs["y"]).to(device)
    return {"model": model, "x": x, "y": y, "loss_fn": nn.MSELoss()}


def run(state):
    x = state["x"]
    x.grad = None  # gradients accumulate across backward() calls
    prediction = state["model"](x)
    loss = state["loss_fn"](prediction, state["y"])
    loss.backward()
    return {
        "prediction": prediction.detach(),
        "loss": loss.detach(),
        "input_grad": x.grad,
    }
