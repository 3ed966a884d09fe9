import os
import tempfile

import onnxruntime
import torch
from torch import nn


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = nn.Sequential(
        nn.Linear(d_in, hidden),
        nn.LayerNorm(hidden, eps=1e-5),
        nn.ReLU(),
        nn.Linear(hidden, inputs["w2"].shape[1]),
        nn.Softmax(dim=1),
    )
    # easeval: glue-begin
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(inputs["w1"].T))
        model[0].bias.copy_(torch.from_numpy(inputs["b1"]))
        model[1].weight.copy_(torch.from_numpy(inputs["gamma"]))
        model[1].bias.copy_(torch.from_numpy(inputs["beta"]))
        model[3].weight.copy_(torch.from_numpy(inputs["w2"].T))
        model[3].bias.copy_(torch.from_numpy(inputs["b2"]))
    # easeval: glue-end
    return {
        "model": model.eval(),
        "x": torch.from_numpy(inputs["x"]),
        "path": os.path.join(tempfile.mkdtemp(), "classifier.onnx"),
    }


def run(state):
    x = state["x"]
    batch = torch.export.Dim("batch")
    onnx_program = torch.onnx.export(
        state["model"],
        (x,),
        dynamic_shapes={"input": {0: batch}},
        dynamo=True,
        verbose=False,
    )
    onnx_program.save(state["path"])

    # ONNX Runtime runs the file without PyTorch: NumPy in, NumPy out.
    ort_session = onnxruntime.InferenceSession(
        state["path"], providers=["CPUExecutionProvider"]
    )
    input_name = ort_session.get_inputs()[0].name
    batch_output = ort_session.run(None, {input_name: x.numpy()})[0]
    single_output = ort_session.run(None, {input_name: x[:1].numpy()})[0]
    return {"batch": batch_output, "single": single_output}
