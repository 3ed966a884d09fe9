"""A shuffled, mapped, batched input pipeline, checked by its properties.

The frameworks shuffle with different random generators, so no exact order can be expected. `check`
asserts what a correct pipeline guarantees instead: each epoch is a permutation of all examples,
the map (pixels / 255, one-hot labels) was applied exactly once to the right example, batches have
BATCH_SIZE examples with the remainder last, the two epochs are shuffled differently, and rebuilding
the pipeline with the same seed reproduces both epochs exactly.
"""

import numpy as np

BATCH_SIZE = 16
EPOCHS = 2
VALUE_RTOL = 1e-6


def make_inputs(rng: np.random.Generator, n: int, d: int, n_classes: int) -> dict:
    return {
        "pixels": rng.integers(0, 256, (n, d), dtype=np.uint8),
        "labels": rng.integers(0, n_classes, n, dtype=np.int64),
        "n_classes": np.int64(n_classes),
    }


def _epoch_problems(
    name: str, batches: list, inputs: dict
) -> tuple[list[str], np.ndarray | None]:
    """Problems of one epoch (a list of {'id', 'x', 'y'} batches) and its example order."""
    n = len(inputs["labels"])
    if not isinstance(batches, list) or not all(
        isinstance(b, dict) and set(b) == {"id", "x", "y"} for b in batches
    ):
        return [
            f"{name}: expected a list of batches, each a dict with keys id, x, y"
        ], None
    problems = []
    sizes = [len(np.asarray(b["id"])) for b in batches]
    expected_sizes = [BATCH_SIZE] * (n // BATCH_SIZE) + (
        [n % BATCH_SIZE] if n % BATCH_SIZE else []
    )
    if sizes != expected_sizes:
        problems.append(f"{name}: batch sizes {sizes}, expected {expected_sizes}")
    ids = np.concatenate([np.asarray(b["id"]).reshape(-1) for b in batches]).astype(
        np.int64
    )
    if sorted(ids.tolist()) != list(range(n)):
        problems.append(f"{name}: the example ids are not a permutation of 0..{n - 1}")
        return problems, None
    x = np.concatenate([np.asarray(b["x"], dtype=np.float64) for b in batches])
    y = np.concatenate([np.asarray(b["y"], dtype=np.float64) for b in batches])
    expected_x = inputs["pixels"][ids].astype(np.float64) / 255.0
    expected_y = np.eye(int(inputs["n_classes"]))[inputs["labels"][ids]]
    if x.shape != expected_x.shape or not np.allclose(
        x, expected_x, rtol=VALUE_RTOL, atol=0.0
    ):
        problems.append(
            f"{name}: x is not pixels / 255 of the example with that id (shape {x.shape})"
        )
    if y.shape != expected_y.shape or not np.array_equal(y, expected_y):
        problems.append(
            f"{name}: y is not the one-hot label of the example with that id (shape {y.shape})"
        )
    return problems, ids


def check(output: dict, inputs: dict) -> list[str]:
    """Properties of two epochs of the pipeline and of the same two epochs from a rebuilt pipeline."""
    if not isinstance(output, dict) or set(output) != {"epochs", "rebuilt"}:
        return ["expected a dict with keys 'epochs' and 'rebuilt'"]
    problems = []
    orders = {}
    for key in ("epochs", "rebuilt"):
        if not isinstance(output[key], list) or len(output[key]) != EPOCHS:
            problems.append(f"{key}: expected a list of {EPOCHS} epochs")
            continue
        for epoch, batches in enumerate(output[key]):
            epoch_problems, ids = _epoch_problems(f"{key}[{epoch}]", batches, inputs)
            problems += epoch_problems
            orders[key, epoch] = ids
    if problems:
        return problems
    first, second = orders["epochs", 0], orders["epochs", 1]
    n = len(first)
    if np.array_equal(first, np.arange(n)):
        problems.append("epochs[0] is in the original order: not shuffled")
    if np.array_equal(first, second):
        problems.append(
            "epochs[0] and epochs[1] have the same order: not reshuffled between epochs"
        )
    for epoch in range(EPOCHS):
        if not np.array_equal(orders["epochs", epoch], orders["rebuilt", epoch]):
            problems.append(
                f"rebuilt[{epoch}] differs from epochs[{epoch}]: the seed does not reproduce the order"
            )
    return problems
