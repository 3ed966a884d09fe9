"""Variable-length integer sequences in padded batches, framework-neutral.

Inputs (make_inputs): `tokens` int64 (total,), the n sequences concatenated, every token in
1..vocab-1 (0 is reserved for padding); `lengths` int64 (n,), each sequence's length in 1..max_len.
Sequence i is tokens[offset_i : offset_i + lengths[i]] with offset_i = sum(lengths[:i]).

run() builds batches of BATCH_SIZE consecutive sequences in their original order, the last one
partial when n % BATCH_SIZE != 0, and pads each batch on the right with PAD = 0 to the longest
length in that batch. Output: {"batches": [{"tokens": int64 (b, L_b), "lengths": int64 (b,)}, ...]}
with b the batch's size and L_b = max of its lengths. setup may split `tokens` into the n sequences.
"""

import numpy as np

BATCH_SIZE = 32
PAD = 0


def make_inputs(rng: np.random.Generator, n: int, max_len: int, vocab: int) -> dict:
    lengths = rng.integers(1, max_len + 1, n, dtype=np.int64)
    tokens = rng.integers(1, vocab, int(lengths.sum()), dtype=np.int64)
    return {"tokens": tokens, "lengths": lengths}


def reference(inputs: dict) -> dict:
    tokens, lengths = inputs["tokens"], inputs["lengths"]
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    batches = []
    for start in range(0, len(lengths), BATCH_SIZE):
        batch_lengths = lengths[start : start + BATCH_SIZE]
        padded = np.full(
            (len(batch_lengths), int(batch_lengths.max())), PAD, dtype=np.int64
        )
        for row, i in enumerate(range(start, start + len(batch_lengths))):
            padded[row, : lengths[i]] = tokens[offsets[i] : offsets[i + 1]]
        batches.append({"tokens": padded, "lengths": batch_lengths.copy()})
    return {"batches": batches}
