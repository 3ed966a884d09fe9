import torch
from torch import nn

learning_rate = 0.1


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, inputs["w2"].shape[1])
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[2].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[2].bias.copy_(torch.from_numpy(inputs["b2"]))
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
    gradients = [p.grad for p in model.parameters()]
    scaler.step(optimizer)
    scaler.update()
    w1, b1, w2, b2 = (g.T if g.ndim == 2 else g for g in gradients)  # easeval: glue
    return {
        "loss": loss.detach(),
        "gradients": {"w1": w1, "b1": b1, "w2": w2, "b2": b2},
        "reduced_precision": logits.dtype == state["amp_dtype"],
    }
