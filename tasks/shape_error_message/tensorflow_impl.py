import re

import numpy as np
import tensorflow as tf


def setup(inputs, device):
    dense_model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(37,)),
            tf.keras.layers.Dense(16, activation="relu", name="feature_proj"),
            tf.keras.layers.Dense(4, name="head"),
        ]
    )
    conv_model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(None, None, 7)),
            tf.keras.layers.Conv2D(
                16, kernel_size=3, activation="relu", name="stem_conv"
            ),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, name="head"),
        ]
    )
    return {
        "dense": (dense_model, tf.constant(inputs["x_dense"])),
        "conv": (conv_model, tf.constant(inputs["x_conv"])),
    }


def error_message(model, x):
    try:
        model(x)
    except ValueError as error:
        return str(error)
    return ""


# easeval: glue-begin
def report(message, layer, expected, received):
    def has_number(number):
        return re.search(rf"(?<![0-9]){number}(?![0-9])", message) is not None

    return {
        "message": np.frombuffer(message.encode(), dtype=np.uint8),
        "names_layer": layer in message,
        "names_expected": has_number(expected),
        "names_received": has_number(received),
    }


# easeval: glue-end


def run(state):
    dense_message = error_message(*state["dense"])
    conv_message = error_message(*state["conv"])
    return {
        "dense": report(dense_message, "feature_proj", 37, 23),  # easeval: glue
        "conv": report(conv_message, "stem_conv", 7, 5),  # easeval: glue
    }
