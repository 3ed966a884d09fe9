"""A full disk is a fault from outside: say in one line which folder is full and what survived.

Result files and report files are written atomically (temp file, then rename), so a write that
fails for lack of space leaves the previous file whole. These exceptions replace the raw
`OSError: [Errno 28]` tracebacks with what a user needs: the folder, what is kept, how to go on.
"""

from __future__ import annotations

import errno
from pathlib import Path

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` says the disk or the user's quota is full."""
    return isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS


def _reason(exc: OSError) -> str:
    return exc.strerror or errno.errorcode.get(exc.errno or 0, "disk full")


class NotSaved(Exception):
    """A write failed because the disk is full; the message says what survived and what to do."""


class ResultsNotSaved(NotSaved):
    """The results folder's disk is full; the measurements saved before are kept."""

    def __init__(self, results_dir: Path, kept: int, result_path: Path, exc: OSError) -> None:
        if kept:
            kept_text = f"{kept} measurement(s) of this run are kept in {result_path}"
        else:
            kept_text = "no measurement of this run was saved"
        super().__init__(f"the disk holding {results_dir} is full ({_reason(exc)}): {kept_text}; "
                         "free some space and rerun the same command to resume (kept measurements are reused)")
        self.results_dir, self.kept, self.result_path = results_dir, kept, result_path


class ReportNotSaved(NotSaved):
    """The report folder's disk is full; files not yet replaced are the previous report's, whole."""

    def __init__(self, output_dir: Path, written: list[str], not_written: list[str], exc: OSError) -> None:
        if written:
            state = (f"{', '.join(written)} replaced, {', '.join(not_written)} not (those are still the "
                     "previous report's)")
        else:
            state = "no report file replaced (the previous report there is unchanged)"
        super().__init__(f"the disk holding {output_dir} is full ({_reason(exc)}): {state}; "
                         "free some space and rerun (measurements are cached)")
        self.output_dir, self.written, self.not_written = output_dir, written, not_written
