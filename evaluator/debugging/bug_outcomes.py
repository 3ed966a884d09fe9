"""What happened to one mutant, against two oracles: the NumPy reference (the worker's ok/incorrect)
and the clean run of the same implementation (its output, compared exactly).

Outcomes, in the order reports show them:
- loud: an exception reached the user (its phase: setup, trace, forward, backward);
- warned: no exception, but the output is wrong or differs from the clean run's and the run raised or
  logged a warning the clean run did not (PyTorch's MSELoss broadcasting warning, "Gradients do not
  exist"): the developer was told something, without a stop;
- silent-caught: it ran, and the output is wrong, NaN or misshapen: the reference catches it;
- silent-undetected: it ran, the output differs from the clean run's but passes the tolerance;
- benign: the output equals the clean run's, bit for bit: the framework absorbed the bug (Keras casting
  float64 input to its float32 weights); a pair with a benign side is kept out of claim 8's primary;
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
WARNED = "warned"
UNDETERMINED, INVALID, GLUE = "undetermined", "invalid", "glue"
# A mutant not run because its implementation's clean run did not pass (listed with the reason).
CLEAN_FAILED = "clean-failed"
OUTCOMES = (LOUD, WARNED, SILENT_CAUGHT, SILENT_UNDETECTED, BENIGN, TIMEOUT, CRASHED, OOM, SKIPPED, UNDETERMINED, GLUE,
            INVALID, CLEAN_FAILED)
# Outcomes that say what the bug did (not invalid, glue, skipped, undetermined or never run).
DECIDED = (LOUD, WARNED, SILENT_CAUGHT, SILENT_UNDETECTED, BENIGN, TIMEOUT, CRASHED, OOM)
# A side that absorbed the bug: its pair says nothing about how the framework reports one.
ABSORBED = (BENIGN,)

# Worker phases after the user's code returned: an exception there is the harness rejecting the output.
_OUTPUT_PHASES = ("converting the output to NumPy", "checking the output")


def classify(status: str, clean_status: str | None, differs_from_clean: bool | None, *,
             phase: str | None = None, has_traceback: bool = False, raised_in_glue: bool = False,
             warned: bool = False) -> str:
    """The outcome of a mutant whose run ended in `status`, given its clean run's status.

    `raised_in_glue`: the innermost user frame of the exception is a glue line. `warned`: the run raised
    or logged a warning its clean run did not (new_warnings).
    """
    if clean_status != OK:
        return INVALID
    if status in (ERROR, SKIPPED) and has_traceback and raised_in_glue:
        return GLUE
    if status == ERROR and phase in _OUTPUT_PHASES:
        # the user's code returned; only the comparison with the reference failed
        return WARNED if warned else SILENT_CAUGHT
    if status == ERROR:
        return LOUD
    if status == SKIPPED:
        # NotImplementedError raised by the mutant is an exception the user sees; one the clean run
        # does not raise cannot be the implementation declining a device
        return LOUD if has_traceback else SKIPPED
    if status == INCORRECT:
        return WARNED if warned else SILENT_CAUGHT
    if status == OK:
        if differs_from_clean is None:
            return UNDETERMINED
        if not differs_from_clean:
            return BENIGN   # a warning about a bug that changed nothing is noise, not a report
        return WARNED if warned else SILENT_UNDETECTED
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


def warning_key(warning: dict) -> tuple[str, str]:
    return str(warning.get("category")), str(warning.get("message"))


def new_warnings(warnings: list[dict] | None, clean_warnings: list[dict] | None) -> list[dict]:
    """The warnings of a mutant run that its clean run did not raise (by category and message): the
    ones the bug caused. Each once."""
    clean = {warning_key(w) for w in clean_warnings or ()}
    seen, new = set(), []
    for w in warnings or ():
        key = warning_key(w)
        if key not in clean and key not in seen:
            seen.add(key)
            new.append(w)
    return new
