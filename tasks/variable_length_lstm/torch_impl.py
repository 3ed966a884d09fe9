import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


class SequenceRegressor(nn.Module):
    def __init__(self, features, hidden, outputs):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, batch_first=True)
        self.head = nn.Linear(hidden, outputs)

    def forward(self, x, lengths):
        # Packing runs each sequence only over its real steps; h_n holds each one's last real state.
        packed = pack_padded_sequence(
            x, lengths, batch_first=True, enforce_sorted=False
        )
        output, (h_n, c_n) = self.lstm(packed)
        return self.head(h_n[-1])


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
    # stays on the CPU, as pack_padded_sequence requires
    lengths = torch.from_numpy(inputs["lengths"])
    return {
        "model": model,
        "x": x,
        "lengths": lengths,
        "y": torch.from_numpy(inputs["y"]).to(device),
        "loss_fn": nn.MSELoss(),
    }


def run(state):
    x = state["x"]
    x.grad = None  # gradients accumulate across backward() calls
    prediction = state["model"](x, state["lengths"])
    loss = state["loss_fn"](prediction, state["y"])
    loss.backward()
    return {
        "prediction": prediction.detach(),
        "loss": loss.detach(),
        "input_grad": x.grad,
    }
