"""The exit status of every `easeval` command, in one place (the table in README.md says the same).

Scripts and CI read only the exit status, so a command that could not do what was asked for some
task must never exit 0, even when it printed the problem and did everything else.
"""

from __future__ import annotations

SUCCESS = 0      # everything asked for was done and no problem was found
FAILED = 1       # some task or file is invalid, or failed, or could not be done; each problem is printed
USAGE = 2        # the command line is wrong (Click's own code): nothing was done
INTERRUPTED = 130  # Ctrl-C (128 + SIGINT): what finished is kept

EXIT_CODES = {
    SUCCESS: "success: everything asked for was done, no problem found",
    FAILED: "some task or file is invalid, failed or could not be done (each problem is printed; the rest was done)",
    USAGE: "usage error: the command line is wrong (unknown option, bad value, malformed name); nothing was done",
    INTERRUPTED: "interrupted (Ctrl-C); finished work is kept",
}


def exit_code(*, problems: int = 0, failures: int = 0, interrupted: bool = False) -> int:
    """The status of a command that reported `problems` and `failures` (failed measurements or analyses)."""
    if interrupted:
        return INTERRUPTED
    return FAILED if problems or failures else SUCCESS
