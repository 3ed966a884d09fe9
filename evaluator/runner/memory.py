"""Per-measurement memory: peak RSS of the measurement's own process, a data limit, OOM detection.

Standard library only (runs in workers). Method, kept in every result as `rss_method`:
- "vmhwm-reset": Linux. The child resets its RSS high-water mark (`echo 5 > /proc/self/clear_refs`)
  just before `setup`, reads VmHWM after the first call, resets it again after the correctness check
  and reads it once more after timing. The peak is the larger reading, so the harness's own work
  (float64 reference, comparison) never counts, and nothing from earlier measurements can, since
  every measurement is a fresh fork. `baseline_rss_bytes` is the RSS at the first reset (the
  inherited framework import, the inputs and the reference), so `peak - baseline` is what the
  measurement itself added.
- "wait4": elsewhere, or where clear_refs is not writable: `ru_maxrss` of the whole child from
  `os.wait4` (includes the harness's work in the child).

The limit is RLIMIT_DATA (private writable mappings, the heap and anonymous mmaps), set in the child
to the data size at the fork plus the limit. RLIMIT_AS would also count the large PROT_NONE address
reservations that allocators and runtimes make, and breaks them. Past the limit, allocation fails
inside the process (MemoryError, "can't allocate memory"), which `is_out_of_memory` recognises.
"""

from __future__ import annotations

import re
import resource
from pathlib import Path

from evaluator.base.environment import total_memory_bytes

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_OOM_MESSAGE = re.compile(
    r"out of memory|can't allocate memory|cannot allocate memory|not enough memory|failed to allocate|OOM when allocating",
    re.IGNORECASE,
)
_OOM_TYPES = {"MemoryError", "OutOfMemoryError", "ResourceExhaustedError"}


def status_bytes(field: str) -> int | None:
    """A kB field of /proc/self/status (VmRSS, VmHWM, VmData) in bytes; None where unavailable."""
    try:
        text = _STATUS.read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else None


def reset_peak_rss() -> bool:
    """Reset this process's RSS high-water mark to its current RSS; False where not supported."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def default_memory_limit() -> int | None:
    """Generous default: three quarters of physical memory per measurement (None if unknown)."""
    total = total_memory_bytes()
    return int(total * 0.75) if total else None


def apply_data_limit(extra_bytes: int) -> int | None:
    """Let this process grow its data by at most `extra_bytes` from now; returns the limit set."""
    current = status_bytes("VmData")
    if current is None:
        return None
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    return limit


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether an exception means an allocation failed (host or device), in any framework."""
    return type(exc).__name__ in _OOM_TYPES or bool(_OOM_MESSAGE.search(str(exc)))
