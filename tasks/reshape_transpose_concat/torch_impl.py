import torch

patch = 4


def setup(inputs, device):
    return {name: torch.from_numpy(array).to(device) for name, array in inputs.items()}


def run(t):
    x, y = t["x"], t["y"]
    b, c, h, w = x.shape
    patches = (
        x.view(b, c, h // patch, patch, w // patch, patch)
        .permute(0, 2, 4, 1, 3, 5)
        .reshape(b, (h // patch) * (w // patch), c * patch * patch)
    )
    # permute, transpose, split and slicing return strided views of x; .contiguous() copies each into
    # a dense tensor of its own, the copy TensorFlow (whose tensors are always dense) makes in these ops.
    return {
        "nhwc": x.permute(0, 2, 3, 1).contiguous(),
        "swapped_hw": x.transpose(2, 3).contiguous(),
        "flattened": x.view(b, -1),
        "patches": patches,
        "concatenated": torch.cat([x, y], dim=1),
        "paired": torch.stack([x, y], dim=-1),
        "split": [part.contiguous() for part in torch.split(x, [1, c - 1], dim=1)],
        "first_channel": x[:, :1].squeeze(1).contiguous(),
        "first_image_as_batch": x[0].unsqueeze(0),
    }
