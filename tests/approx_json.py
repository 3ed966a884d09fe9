"""Compare JSON-like evidence with a stated tolerance on floats and none anywhere else.

The last bits of `exp`, `log` and the normal CDF differ between hosts (instruction sets, libm and
OpenBLAS builds): 0.45943926338554714 on one host is 0.4594392633855471 on another. Golden files and
recomputations therefore compare floats relatively, at REL_TOL, which is about 4.5 million units in
the last place of a double, so any host passes, and one part in a billion, so a real change (a
different test, another tie rule, one more task) fails. Counts, strings, booleans, None, verdicts,
outcomes, keys and list lengths stay exact.
"""

from __future__ import annotations

import math
from typing import Any

REL_TOL = 1e-9
ABS_TOL = 1e-12  # for values that should be zero (a log ratio of 1, a p-value underflowing)


def _is_float(value: Any) -> bool:
    return isinstance(value, float) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def json_differences(actual: Any, expected: Any, path: str = "") -> list[str]:
    """Every place where `actual` differs from `expected`, as 'path: actual != expected'."""
    where = path or "<root>"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: {actual!r} is not an object"]
        problems = [f"{where}: keys {sorted(set(actual) ^ set(expected))} differ"] if set(actual) != set(expected) else []
        for key in sorted(set(actual) & set(expected), key=str):
            problems += json_differences(actual[key], expected[key], f"{path}.{key}" if path else str(key))
        return problems
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return [f"{where}: {actual!r} != {expected!r} (length)"]
        problems = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            problems += json_differences(a, e, f"{path}[{i}]")
        return problems
    if (_is_float(actual) or _is_float(expected)) and _is_number(actual) and _is_number(expected):
        if math.isnan(expected) and math.isnan(actual):
            return []
        if math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return []
        return [f"{where}: {actual!r} != {expected!r} (beyond relative tolerance {REL_TOL:g})"]
    if type(actual) is not type(expected) or actual != expected:
        return [f"{where}: {actual!r} != {expected!r}"]
    return []


def perturb_floats(value: Any, ulps: int) -> Any:
    """`value` with every float moved by `ulps` units in the last place, alternately up and down:
    what another host's libm can do to computed evidence."""
    counter = [0]

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if _is_float(v) and math.isfinite(v) and v != 0.0:
            counter[0] += 1
            direction = math.inf if counter[0] % 2 else -math.inf
            for _ in range(ulps):
                v = math.nextafter(v, direction)
            return v
        return v

    return walk(value)
