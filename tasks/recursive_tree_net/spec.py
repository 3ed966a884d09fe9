"""A recursive neural network over per-sample binary trees (Socher-style composition), in float64.

Each tree's leaves carry vectors; an internal node is tanh([left, right] W_c + b_c); the root goes
through a linear head. Trees are encoded as arrays: nodes 0..L-1 are the leaves, node L + j is the
j-th internal node with children left[j], right[j], and the root is node 2L - 2. Returns the logits,
the mean softmax cross-entropy and its gradient with respect to the composition weights, derived by
backpropagation through each tree's structure.
"""

import numpy as np


def random_tree(rng: np.random.Generator, n_leaves: int) -> tuple:
    """Merge two neighbouring nodes at random until one is left (a random binary parse)."""
    nodes, left, right = list(range(n_leaves)), [], []
    while len(nodes) > 1:
        k = int(rng.integers(0, len(nodes) - 1))
        left.append(nodes[k])
        right.append(nodes[k + 1])
        nodes[k : k + 2] = [n_leaves + len(left) - 1]
    return left, right


def make_inputs(
    rng: np.random.Generator, trees: int, leaves: int, width: int, classes: int
) -> dict:
    n_leaves = rng.integers(2, leaves + 1, trees)
    left = np.full((trees, leaves - 1), -1, dtype=np.int64)
    right = np.full((trees, leaves - 1), -1, dtype=np.int64)
    x = np.zeros((trees, leaves, width), dtype=np.float32)
    for s, n in enumerate(n_leaves):
        tree_left, tree_right = random_tree(rng, int(n))
        left[s, : n - 1], right[s, : n - 1] = tree_left, tree_right
        x[s, :n] = rng.standard_normal((n, width), dtype=np.float32)
    return {
        "x": x,
        "n_leaves": n_leaves.astype(np.int64),
        "left": left,
        "right": right,
        "y": rng.integers(0, classes, trees).astype(np.int64),
        "w_compose": (
            rng.standard_normal((2 * width, width)) / np.sqrt(2 * width)
        ).astype(np.float32),
        "b_compose": (0.1 * rng.standard_normal(width)).astype(np.float32),
        "w_head": (rng.standard_normal((width, classes)) / np.sqrt(width)).astype(
            np.float32
        ),
        "b_head": (0.1 * rng.standard_normal(classes)).astype(np.float32),
    }


def reference(inputs: dict) -> dict:
    w, b = (
        inputs["w_compose"].astype(np.float64),
        inputs["b_compose"].astype(np.float64),
    )
    w_head, b_head = (
        inputs["w_head"].astype(np.float64),
        inputs["b_head"].astype(np.float64),
    )
    grad_w, grad_b = np.zeros_like(w), np.zeros_like(b)
    roots, cache = [], []
    for s, n in enumerate(inputs["n_leaves"]):
        leaves, left, right = (
            inputs["x"][s, :n].astype(np.float64),
            inputs["left"][s],
            inputs["right"][s],
        )
        values = {}

        def encode(node):
            if node < n:
                values[node] = leaves[node]
            else:
                pair = np.concatenate([encode(left[node - n]), encode(right[node - n])])
                values[node] = np.tanh(pair @ w + b)
            return values[node]

        roots.append(encode(2 * n - 2))
        cache.append((n, left, right, values))
    logits = np.stack(roots) @ w_head + b_head
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows, y = np.arange(len(logits)), inputs["y"]
    loss = -np.mean(np.log(probs[rows, y]))
    d_logits = probs
    d_logits[rows, y] -= 1.0
    d_roots = (d_logits / len(logits)) @ w_head.T
    for (n, left, right, values), d_root in zip(cache, d_roots):

        def backward(node, d_value):
            nonlocal grad_w, grad_b
            if node < n:
                return
            l, r = left[node - n], right[node - n]
            d_pre = d_value * (1.0 - values[node] ** 2)
            grad_w += np.outer(np.concatenate([values[l], values[r]]), d_pre)
            grad_b += d_pre
            d_pair = w @ d_pre
            backward(l, d_pair[: len(d_pair) // 2])
            backward(r, d_pair[len(d_pair) // 2 :])

        backward(2 * n - 2, d_root)
    return {
        "logits": logits,
        "loss": loss,
        "grad_w_compose": grad_w,
        "grad_b_compose": grad_b,
    }
