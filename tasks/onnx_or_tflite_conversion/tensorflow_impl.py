import os
import tempfile

import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter


def setup(inputs, device):
    d_in, hidden = inputs["w1"].shape
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(d_in,)),
            tf.keras.layers.Dense(hidden),
            tf.keras.layers.LayerNormalization(epsilon=1e-5),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Dense(inputs["w2"].shape[1], activation="softmax"),
        ]
    )
    # easeval: glue-begin
    model.set_weights([inputs[k] for k in ("w1", "b1", "gamma", "beta", "w2", "b2")])
    # easeval: glue-end
    return {
        "model": model,
        "x": inputs["x"],
        "path": os.path.join(tempfile.mkdtemp(), "classifier.tflite"),
    }


def run(state):
    state["model"].export(state["path"], format="litert", verbose=False)

    # The LiteRT interpreter runs the .tflite file without TensorFlow: NumPy in, NumPy out.
    interpreter = Interpreter(model_path=state["path"])
    classify = interpreter.get_signature_runner("serving_default")
    input_name = next(iter(classify.get_input_details()))
    x = state["x"]
    batch_output = classify(**{input_name: x})["output_0"]
    single_output = classify(**{input_name: x[:1]})["output_0"]
    return {"batch": batch_output, "single": single_output}
