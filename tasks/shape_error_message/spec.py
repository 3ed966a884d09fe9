"""Inputs of the wrong width for a dense and a convolutional model, and what the error must say.

There is no numeric reference: the output is each framework's error message (UTF-8 bytes) and three
flags read from it. check() requires that both wrong calls raised, and that each flag is what the
message says: whether it names the offending layer (by the name the model gives it), the width the
layer expects, and the width it received. The flags are the finding; they may differ between
frameworks, so the cross-framework comparison of this task is expected to disagree.
"""

import re

import numpy as np

# The models both implementations build: feature_proj is Dense/Linear(37 -> 16), stem_conv a 3x3
# convolution with 7 input channels. Widths chosen so no other number in a message can be mistaken
# for them.
CASES = {
    "dense": {"layer": "feature_proj", "expected": 37, "received": 23},
    "conv": {"layer": "stem_conv", "expected": 7, "received": 5},
}
FLAGS = ("names_layer", "names_expected", "names_received")


def make_inputs(rng: np.random.Generator, batch: int, image_size: int) -> dict:
    return {
        "x_dense": rng.standard_normal(
            (batch, CASES["dense"]["received"]), dtype=np.float32
        ),
        # channels last; the PyTorch implementation moves channels first, as its convolutions expect
        "x_conv": rng.standard_normal(
            (batch, image_size, image_size, CASES["conv"]["received"]), dtype=np.float32
        ),
    }


def has_number(message: str, number: int) -> bool:
    return re.search(rf"(?<![0-9]){number}(?![0-9])", message) is not None


def read_flags(message: str, case: dict) -> dict:
    """The three flags of one message, as check() reads them."""
    return {
        "names_layer": case["layer"] in message,
        "names_expected": has_number(message, case["expected"]),
        "names_received": has_number(message, case["received"]),
    }


def check(output, inputs) -> list:
    failures = []
    for name, case in CASES.items():
        result = output.get(name) if isinstance(output, dict) else None
        if not isinstance(result, dict) or "message" not in result:
            failures.append(f"{name}: no result with a message")
            continue
        message = bytes(np.asarray(result["message"], dtype=np.uint8)).decode(
            "utf-8", errors="replace"
        )
        if not message:
            failures.append(
                f"{name}: no error was raised for an input of width {case['received']}"
            )
            continue
        for flag, expected in read_flags(message, case).items():
            if flag not in result:
                failures.append(f"{name}: flag {flag} missing")
            elif bool(np.asarray(result[flag])) != expected:
                failures.append(
                    f"{name}: {flag} = {bool(np.asarray(result[flag]))}, but the message says {expected}"
                )
    return failures
