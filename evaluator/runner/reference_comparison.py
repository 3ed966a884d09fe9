"""Compare an implementation's output with the spec's float64 reference. NumPy only (runs in workers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


@dataclass(frozen=True)
class Comparison:
    passed: bool
    max_abs_error: float | None
    max_rel_error: float | None     # max |out - ref| / |ref| over elements with |ref| > atol
    tolerance_ratio: float | None   # max |out - ref| / (atol + rtol |ref|); passes when <= 1
    message: str = ""


def to_numpy_tree(value: Any, convert: Callable[[Any], np.ndarray]) -> Any:
    """Apply `convert` to every leaf of nested dicts/lists/tuples."""
    if isinstance(value, dict):
        return {k: to_numpy_tree(v, convert) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_numpy_tree(v, convert) for v in value]
    return convert(value)


def normalize_tree(value: Any) -> Any:
    """Stack a list of same-shape leaves into one array, so [loss0, loss1, ...] equals an array."""
    if isinstance(value, dict):
        return {k: normalize_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [normalize_tree(v) for v in value]
        if items and not any(isinstance(i, (dict, list)) for i in items):
            arrays = [np.asarray(i) for i in items]
            if len({a.shape for a in arrays}) == 1:
                return np.stack(arrays)
        return items
    return value


def flatten_tree(value: Any, prefix: str = "output") -> dict[str, np.ndarray]:
    """{'output.logits': array, 'output[0]': array, ...}: a nested output as flat named arrays."""
    if isinstance(value, dict):
        flat: dict[str, np.ndarray] = {}
        for key in value:
            flat.update(flatten_tree(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, (list, tuple)):
        flat = {}
        for i, item in enumerate(value):
            flat.update(flatten_tree(item, f"{prefix}[{i}]"))
        return flat
    return {prefix: np.asarray(value)}


def compare_outputs(output: Any, reference: Any, rtol: float, atol: float, prefix: str = "output") -> Comparison:
    """Leaf-by-leaf allclose of `output` against `reference`; structure and shapes must match.

    Lists of same-shape leaves compare as one stacked array on both sides.

    NaN or Inf in the output never passes, whatever the reference holds. Messages name each leaf by its
    path under `prefix` ("" for outputs that are already flat, named trees, as saved outputs are).
    """
    out_flat, ref_flat = flatten_tree(normalize_tree(output), prefix), flatten_tree(normalize_tree(reference), prefix)
    if set(out_flat) != set(ref_flat):
        missing = sorted(set(ref_flat) - set(out_flat))
        extra = sorted(set(out_flat) - set(ref_flat))
        return Comparison(False, None, None, None, f"output structure differs: missing {missing}, unexpected {extra}")
    worst_abs = worst_rel = worst_ratio = 0.0
    failures = []
    for name, ref in ref_flat.items():
        try:
            out = np.asarray(out_flat[name], dtype=np.float64)
        except (TypeError, ValueError) as exc:
            return Comparison(False, None, None, None, f"{name}: not numeric ({exc})")
        ref = np.asarray(ref, dtype=np.float64)
        if out.shape != ref.shape:
            return Comparison(False, None, None, None, f"{name}: shape {out.shape}, expected {ref.shape}")
        if not np.all(np.isfinite(out)):
            bad = int(np.size(out) - np.count_nonzero(np.isfinite(out)))
            return Comparison(False, None, None, None, f"{name}: {bad} non-finite value(s) (NaN or Inf)")
        diff = np.abs(out - ref)
        if diff.size == 0:
            continue
        worst_abs = max(worst_abs, float(diff.max()))
        significant = np.abs(ref) > atol
        if significant.any():
            worst_rel = max(worst_rel, float((diff[significant] / np.abs(ref[significant])).max()))
        allowed = atol + rtol * np.abs(ref)
        with np.errstate(divide="ignore", invalid="ignore"):  # zero tolerance: exact match required
            ratios = np.where(diff == 0, 0.0, diff / allowed)
        ratio = float(ratios.max())
        worst_ratio = max(worst_ratio, ratio)
        if ratio > 1.0:
            index = np.unravel_index(int(np.argmax(ratios)), diff.shape)
            failures.append(f"{name}{[int(i) for i in index]}: got {out[index]:.6g}, expected {ref[index]:.6g}")
    message = "" if not failures else f"outside rtol={rtol:g}, atol={atol:g}: " + "; ".join(failures[:3])
    return Comparison(not failures, worst_abs, worst_rel, worst_ratio, message)


def repeat_difference(first: Any, second: Any) -> str:
    """Where two outputs of run(state) on one state differ, bit for bit; '' when they are identical.

    Bitwise, not within a tolerance: the two calls run the same code on the same inputs in one
    process (check pins one thread on CPU), so any difference, however small, means run() depends
    on something it changed, such as a gradient that accumulates across calls.
    """
    a, b = flatten_tree(normalize_tree(first)), flatten_tree(normalize_tree(second))
    if list(a) != list(b):
        return f"the output's structure changed: {sorted(a)}, then {sorted(b)}"
    for name in a:
        x, y = np.asarray(a[name]), np.asarray(b[name])
        if x.shape != y.shape or x.dtype != y.dtype:
            return f"{name}: {x.dtype}{list(x.shape)}, then {y.dtype}{list(y.shape)}"
        if np.array_equal(x, y, equal_nan=x.dtype.kind in "fc"):
            continue
        if x.ndim == 0:  # str of a NumPy scalar: the shortest text that tells its dtype's values apart
            return f"{name}: {x[()]!s}, then {y[()]!s}"
        unequal = (x != y) & ~((x != x) & (y != y)) if x.dtype.kind in "fc" else x != y
        index = tuple(int(i) for i in np.argwhere(unequal)[0])
        return f"{name}{list(index)}: {x[index]!s}, then {y[index]!s}"
    return ""
