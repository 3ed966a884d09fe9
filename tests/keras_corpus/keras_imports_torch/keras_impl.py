import keras
import torch


def setup(inputs, device):
    model = keras.Sequential([keras.Input(shape=(inputs["x"].shape[1],)), keras.layers.Dense(1)])
    return {"model": model, "x": torch.from_numpy(inputs["x"])}


def run(state):
    return state["model"](state["x"])
