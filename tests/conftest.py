"""Shared paths for the tests. The tests run real torch and TensorFlow in real worker processes."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TASKS = REPO / "tasks"
BROKEN = Path(__file__).resolve().parent / "broken_corpus"


@pytest.fixture
def repo() -> Path:
    return REPO


# ---- no fork after a multithreaded framework started (see test_no_fork_after_threads.py) ------------

_FORK_WARNINGS: list[str] = []


def pytest_warning_recorded(warning_message, when, nodeid, location):
    if "os.fork() was called" in str(warning_message.message):
        _FORK_WARNINGS.append(nodeid or when)


def pytest_sessionfinish(session, exitstatus):
    """A fork warning anywhere fails the run: it means a process forked after JAX's threads started."""
    if _FORK_WARNINGS and session.exitstatus == 0:
        session.exitstatus = 1
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"FAILED: os.fork() after a multithreaded framework started, in: {', '.join(sorted(set(_FORK_WARNINGS)))}",
                                red=True)
