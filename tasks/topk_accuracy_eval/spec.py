"""Top-1 and top-5 accuracy of given logits against labels, evaluated in batches.

Inputs (make_inputs): `logits` float32 (n, classes); `labels` int64 (n,) in 0..classes-1.
A sample is correct at k when its label's logit is among its k largest logits, i.e. when fewer
than k of the other logits in its row are larger. make_inputs guarantees that no other logit of
a row lies within MIN_GAP of the label's logit, so ties with the label are impossible and every
tie-breaking rule gives the same answer (ties among the other logits do not matter).

run() goes through the samples in batches of BATCH_SIZE consecutive rows in order (the last batch
partial) and returns {"top1_correct": int (num_batches,), the number of samples of each batch
correct at k = 1; "top5_correct": int (num_batches,), the same at k = 5; "top1_accuracy": (),
"top5_accuracy": (), the fractions of all n samples correct at k = 1 and at k = 5, float32}.
"""

import numpy as np

BATCH_SIZE = 256
MIN_GAP = 1e-3


def make_inputs(rng: np.random.Generator, n: int, classes: int) -> dict:
    logits = (2.0 * rng.standard_normal((n, classes))).astype(np.float32)
    # Labels from the logits' own softmax (Gumbel-max): top-1 and top-5 accuracy well inside (0, 1).
    labels = np.argmax(logits + rng.gumbel(size=(n, classes)), axis=1).astype(np.int64)
    rows = np.arange(n)
    for _ in range(
        100
    ):  # move a label's logit away from any other logit closer than MIN_GAP
        own = logits[rows, labels][:, None]
        near = np.abs(logits - own) < MIN_GAP
        near[rows, labels] = False
        bad = np.flatnonzero(near.any(axis=1))
        if len(bad) == 0:
            break
        logits[bad, labels[bad]] += np.float32(3 * MIN_GAP)
    else:
        raise ValueError("could not separate the label logits")
    return {"logits": logits, "labels": labels}


def reference(inputs: dict) -> dict:
    logits, labels = inputs["logits"].astype(np.float64), inputs["labels"]
    own = logits[np.arange(len(labels)), labels][:, None]
    rank = (logits > own).sum(axis=1)  # how many logits beat the label's
    top1, top5 = rank < 1, rank < 5
    starts = range(0, len(labels), BATCH_SIZE)
    return {
        "top1_correct": np.array([top1[s : s + BATCH_SIZE].sum() for s in starts]),
        "top5_correct": np.array([top5[s : s + BATCH_SIZE].sum() for s in starts]),
        "top1_accuracy": top1.mean(),
        "top5_accuracy": top5.mean(),
    }
