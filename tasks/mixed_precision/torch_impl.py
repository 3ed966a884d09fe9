import torch
from torch import nn

learning_rate = 0.1


class NeuralNetwork(nn.Module):
    def __init__(self, d_in, hidden, classes):
        super().__init__()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(d_in, hidden),
            nn.ReLU(),
            nn.Linear(hidden, classes),
        )

    def forward(self, x):
        return self.linear_relu_stack(x)


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = NeuralNetwork(d_in, hidden, inputs["w2"].shape[1])
    # easeval: glue-begin
    with torch.no_grad():
        model.linear_relu_stack[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model.linear_relu_stack[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model.linear_relu_stack[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model.linear_relu_stack[2].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    model = model.to(device)
    # CPU autocast runs in bfloat16; CUDA autocast in float16, which needs loss scaling.
    amp_dtype = torch.float16 if device == "cuda" else torch.bfloat16
    return {
        "model": model,
        "loss_fn": nn.CrossEntropyLoss(),
        "optimizer": torch.optim.SGD(model.parameters(), lr=learning_rate),
        "scaler": torch.amp.GradScaler(device, enabled=amp_dtype == torch.float16),
        "amp_dtype": amp_dtype,
        "x": torch.from_numpy(inputs["x"]).to(device),
        "y": torch.from_numpy(inputs["y"]).to(device),
        "device": device,
    }


def run(state):
    model, optimizer, scaler = state["model"], state["optimizer"], state["scaler"]
    optimizer.zero_grad()
    with torch.autocast(device_type=state["device"], dtype=state["amp_dtype"]):
        logits = model(state["x"])
        loss = state["loss_fn"](logits, state["y"])
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)  # so that the gradients read below are the true ones
    layers = model.linear_relu_stack
    gradients = {
        "w1": layers[0].weight.grad.T.clone(), "b1": layers[0].bias.grad.clone(),
        "w2": layers[2].weight.grad.T.clone(), "b2": layers[2].bias.grad.clone(),
    }
    scaler.step(optimizer)
    scaler.update()
    return {"loss": loss.detach(), "gradients": gradients, "reduced_precision": logits.dtype == state["amp_dtype"]}
