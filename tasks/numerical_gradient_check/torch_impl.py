import torch
from torch.autograd import gradcheck
from torch.autograd.functional import jacobian

STEP = 1.0 / 1024  # finite-difference step, the same on both sides (gradcheck's default eps is 1e-6)


class LogSumExpLinear(torch.autograd.Function):
    """y = logsumexp(x @ w, dim=1), computed stably, with a hand-written backward."""

    @staticmethod
    def forward(ctx, x, w):
        logits = x @ w
        row_max = logits.amax(dim=1, keepdim=True)
        y = row_max.squeeze(1) + torch.log(torch.exp(logits - row_max).sum(dim=1))
        ctx.save_for_backward(x, w, logits, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, w, logits, y = ctx.saved_tensors
        p = torch.exp(logits - y.unsqueeze(1))  # softmax of each row
        g = grad_output.unsqueeze(1) * p
        return g @ w.T, x.T @ g


def numerical_jacobian(fn, inputs, eps):
    """Central differences, one column per input element, as the gradcheck mechanics note describes."""
    inputs = [t.detach().clone() for t in inputs]
    jacobians = []
    with torch.no_grad():
        for t in inputs:
            flat = t.view(-1)
            columns = []
            for k in range(flat.numel()):
                entry = flat[k]  # a view into t
                original = entry.clone()
                entry.copy_(original + eps)
                y_plus = fn(*inputs)
                entry.copy_(original - eps)
                y_minus = fn(*inputs)
                entry.copy_(original)
                columns.append((y_plus - y_minus).reshape(-1) / (2 * eps))
            jacobians.append(torch.stack(columns, dim=1))
    return jacobians


def setup(inputs, device):
    x = torch.tensor(inputs["x"], dtype=torch.float64, device=device, requires_grad=True)
    w = torch.tensor(inputs["w"], dtype=torch.float64, device=device, requires_grad=True)
    return {"x": x, "w": w}


def run(state):
    inputs = (state["x"], state["w"])
    # gradcheck compares the Jacobians it builds but returns only the verdict.
    passed = gradcheck(LogSumExpLinear.apply, inputs, eps=STEP, raise_exception=False)
    # To look at the Jacobians themselves, build them again with public APIs.
    analytical = jacobian(LogSumExpLinear.apply, inputs)  # one backward pass per output element
    analytical = [j.reshape(j.shape[0], -1) for j in analytical]  # easeval: glue
    numerical = numerical_jacobian(LogSumExpLinear.apply, inputs, STEP)
    max_abs_diff = max((a - n).abs().max() for a, n in zip(analytical, numerical))
    return {"analytical": analytical, "numerical": numerical, "max_abs_diff": max_abs_diff, "passed": passed}
