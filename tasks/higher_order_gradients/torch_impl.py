import torch
import torch.nn.functional as F
from torch.func import hessian, jacrev

l2 = 0.01


def predict(weight, bias, x):
    return torch.tanh(F.linear(x, weight, bias))


def loss(a, v):
    return F.softplus(a @ v).mean() + 0.5 * l2 * v.dot(v)


def setup(inputs, device):
    return {name: torch.from_numpy(array).to(device) for name, array in inputs.items()}


def run(t):
    jacobian = jacrev(predict, argnums=2)(t["w"], t["b"], t["x"])
    hess = hessian(loss, argnums=1)(t["a"], t["v"])
    return {"jacobian": jacobian, "hessian": hess}
