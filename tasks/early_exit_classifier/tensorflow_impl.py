import tensorflow as tf

threshold = 0.9


class EarlyExitNet(tf.keras.Model):
    def __init__(self, width, classes, stages=3, **kwargs):
        super().__init__(**kwargs)
        self.stages = [
            tf.keras.layers.Dense(width, activation="relu") for _ in range(stages)
        ]
        self.exits = [tf.keras.layers.Dense(classes) for _ in range(stages)]

    def call(self, x):
        for index, (stage, exit_head) in enumerate(zip(self.stages, self.exits)):
            x = stage(x)
            logits = exit_head(x)
            if tf.reduce_max(tf.nn.softmax(logits)) >= threshold:
                break  # confident enough: skip the remaining stages
        return logits, index


def setup(inputs, device):
    d_in, width = inputs["w_stage0"].shape
    model = EarlyExitNet(width, inputs["w_exit0"].shape[1])
    # easeval: glue-begin
    for index, (stage, exit_head) in enumerate(zip(model.stages, model.exits)):
        stage.build((None, d_in if index == 0 else width))
        stage.set_weights([inputs[f"w_stage{index}"], inputs[f"b_stage{index}"]])
        exit_head.build((None, width))
        exit_head.set_weights([inputs[f"w_exit{index}"], inputs[f"b_exit{index}"]])
    # easeval: glue-end
    return {"model": model, "x": tf.constant(inputs["x"])}


def run(state):
    model, x = state["model"], state["x"]
    logits, exits = [], []
    # one sample at a time, as an early-exit model serves
    for sample in tf.split(x, x.shape[0]):
        sample_logits, exit_index = model(sample)
        logits.append(sample_logits)
        exits.append(exit_index)
    return {"logits": tf.concat(logits, axis=0), "exits": exits}
