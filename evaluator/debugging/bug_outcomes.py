"""What happened to one mutant, against two oracles: the NumPy reference (the worker's ok/incorrect)
and the clean run of the same implementation (its output, compared exactly).

Outcomes, in the order reports show them:
- loud: an exception reached the user (its phase: setup, trace, forward, backward);
- silent-caught: it ran, and the output is wrong, NaN or misshapen: the reference catches it;
- silent-undetected: it ran, the output differs from the clean run's but passes the tolerance;
- benign: the output equals the clean run's, bit for bit;
- timeout, crashed, oom: the runner's statuses (a hang, a signal, memory);
- skipped: the implementation itself declined (NotImplementedError before any user code ran);
- undetermined: it ran and passed, but an output to compare with the clean run is missing;
- glue: the exception was raised by the harness-only glue (loading the shared initial weights, say),
  code a user would not have written: it says nothing about the framework (excluded like invalid);
- invalid: the clean run itself did not pass, so the mutant says nothing (excluded everywhere).
A site-less operator is reported as no-site per implementation (summary.py), not as an outcome.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from evaluator.base.run_status import CRASHED, ERROR, INCORRECT, OK, OOM, SKIPPED, TIMEOUT

LOUD, SILENT_CAUGHT, SILENT_UNDETECTED, BENIGN = "loud", "silent-caught", "silent-undetected", "benign"
UNDETERMINED, INVALID, GLUE = "undetermined", "invalid", "glue"
OUTCOMES = (LOUD, SILENT_CAUGHT, SILENT_UNDETECTED, BENIGN, TIMEOUT, CRASHED, OOM, SKIPPED, UNDETERMINED, GLUE, INVALID)
# What counts in claim 8's shares: every outcome but those that say nothing about the bug.
DECIDED = (LOUD, SILENT_CAUGHT, SILENT_UNDETECTED, BENIGN, TIMEOUT, CRASHED, OOM)

# Worker phases after the user's code returned: an exception there is the harness rejecting the output.
_OUTPUT_PHASES = ("converting the output to NumPy", "checking the output")


def classify(status: str, clean_status: str | None, differs_from_clean: bool | None, *,
             phase: str | None = None, has_traceback: bool = False, raised_in_glue: bool = False) -> str:
    """The outcome of a mutant whose run ended in `status`, given its clean run's status.

    `raised_in_glue`: the innermost user frame of the exception is a glue line.
    """
    if clean_status != OK:
        return INVALID
    if status in (ERROR, SKIPPED) and has_traceback and raised_in_glue:
        return GLUE
    if status == ERROR and phase in _OUTPUT_PHASES:
        return SILENT_CAUGHT   # the user's code returned; only the comparison with the reference failed
    if status == ERROR:
        return LOUD
    if status == SKIPPED:
        # NotImplementedError raised by the mutant is an exception the user sees; one the clean run
        # does not raise cannot be the implementation declining a device
        return LOUD if has_traceback else SKIPPED
    if status == INCORRECT:
        return SILENT_CAUGHT
    if status == OK:
        if differs_from_clean is None:
            return UNDETERMINED
        return SILENT_UNDETECTED if differs_from_clean else BENIGN
    if status in (TIMEOUT, CRASHED, OOM):
        return status
    return UNDETERMINED


def outputs_differ(mutant_output: Path, clean_output: Path) -> bool | None:
    """Whether two kept outputs (.npz, as the worker saves them) differ in any key, shape, dtype or bit;
    None when either is missing or unreadable."""
    import numpy as np

    try:
        with np.load(mutant_output, allow_pickle=False) as a, np.load(clean_output, allow_pickle=False) as b:
            if set(a.files) != set(b.files):
                return True
            for key in a.files:
                x, y = a[key], b[key]
                if x.shape != y.shape or x.dtype != y.dtype:
                    return True
                if not np.array_equal(x, y, equal_nan=x.dtype.kind in "fc"):
                    return True
            return False
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
