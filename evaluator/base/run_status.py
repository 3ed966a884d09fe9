"""What the parent and a worker exchange: JSON files, never stdout; and the statuses they report.

A worker gets one job file (framework, threads, jobs) and writes one result file per job plus one
worker-info file. Each file is written atomically (temp file + rename), so a reader never sees half
of one and a killed worker loses only the job in flight.
"""

from __future__ import annotations

# Statuses, distinct on purpose: a timeout, a crash and a wrong answer mean different things.
OK = "ok"
INCORRECT = "incorrect"
ERROR = "error"
TIMEOUT = "timeout"
CRASHED = "crashed"
OOM = "oom"
SKIPPED = "skipped"
STATUSES = (OK, INCORRECT, ERROR, TIMEOUT, CRASHED, OOM, SKIPPED)
