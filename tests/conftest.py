"""Shared paths for the tests. The tests run real torch and TensorFlow in real worker processes."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TASKS = REPO / "tasks"
BROKEN = Path(__file__).resolve().parent / "broken_corpus"


@pytest.fixture
def repo() -> Path:
    return REPO
