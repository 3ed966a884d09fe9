"""Filter by label, map (scale), batch with a final partial batch, reduce per batch.

Inputs (make_inputs): `features` float32 (n, d), standard normal; `labels` int64 (n,) in
0..classes-1; `keep_labels` int64 (KEEP,), distinct class ids; `scale` float32 (d,) in [0.5, 2).

run(): in the original order, keep the examples whose label is in keep_labels, map features to
features * scale (float32), batch BATCH_SIZE consecutive kept examples (last batch partial) and
return {"feature_sums": (num_batches, d) sums of each batch's mapped rows, "counts":
(num_batches,) examples per batch}. The reference computes the sums in float64 from the float32
product features * scale.
"""

import numpy as np

BATCH_SIZE = 64
KEEP = 4


def make_inputs(rng: np.random.Generator, n: int, d: int, classes: int) -> dict:
    return {
        "features": rng.standard_normal((n, d), dtype=np.float32),
        "labels": rng.integers(0, classes, n, dtype=np.int64),
        "keep_labels": np.sort(rng.choice(classes, KEEP, replace=False)).astype(
            np.int64
        ),
        "scale": rng.uniform(0.5, 2.0, d).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    keep = np.isin(inputs["labels"], inputs["keep_labels"])
    mapped = (inputs["features"][keep] * inputs["scale"]).astype(
        np.float64
    )  # the map is float32
    sums, counts = [], []
    for start in range(0, len(mapped), BATCH_SIZE):
        batch = mapped[start : start + BATCH_SIZE]
        sums.append(batch.sum(axis=0))
        counts.append(len(batch))
    return {"feature_sums": np.array(sums), "counts": np.array(counts, dtype=np.int64)}
